/** A transparent price: every labour, part and discount line, then the total. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PriceLine } from '../../api/types';
import { Money } from '../../ui/form';
import { formatQty } from '../../ui/format';

export function PriceLines({ lines, totalFen }: { lines: PriceLine[]; totalFen: number }): ReactNode {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  return (
    <table className="price-lines" data-testid="price-lines">
      <tbody>
        {lines.map((l, i) => (
          <tr key={`${l.itemCode}-${l.kind}-${l.partTypeCode ?? ''}-${i}`} className={`line-${l.kind}`}>
            <td>
              <span className={`tag tag-${l.kind}`}>{t(`price.kind.${l.kind}`)}</span>{' '}
              {en ? l.descriptionEn : l.description}
              {l.kind === 'part' ? <span className="muted small"> × {formatQty(l.qtyMilli)}</span> : null}
            </td>
            <td className="num">
              <Money fen={l.amountFen} />
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th>{t('price.total')}</th>
          <th className="num">
            <Money fen={totalFen} className="money-total" />
          </th>
        </tr>
      </tfoot>
    </table>
  );
}
