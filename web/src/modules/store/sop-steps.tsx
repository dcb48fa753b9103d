/** SOP steps to tick at the bay, big enough for a gloved thumb; each tick records the time. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { workOrders } from '../../api/endpoints';
import type { WorkOrder } from '../../api/types';
import { formatTime } from '../../ui/format';
import { ErrorNotice } from '../../ui/states';
import { useAction } from '../../ui/use-async';

export function SopSteps({
  wo,
  editable,
  onChanged,
}: {
  wo: WorkOrder;
  editable: boolean;
  onChanged: (w: WorkOrder) => void;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const tick = useAction(async (stepId: string) => onChanged(await workOrders.tickStep(wo.id, stepId)));
  const done = wo.steps.filter((s) => s.doneAt).length;
  if (wo.steps.length === 0) return <p className="muted">{t('sop.none')}</p>;
  return (
    <>
      <p className="muted small">{t('sop.progress', { done, total: wo.steps.length })}</p>
      <ol className="sop-steps" data-testid="sop-steps">
        {wo.steps.map((s) => (
          <li key={s.id}>
            <label className={`sop-step${s.doneAt ? ' done' : ''}`} data-testid="sop-step">
              <input
                type="checkbox"
                checked={!!s.doneAt}
                disabled={!editable || !!s.doneAt || tick.busy}
                onChange={() => void tick.run(s.id)}
              />
              <span className="grow">
                <strong>{en ? s.en : s.zh}</strong>
                <span className="muted small">
                  {' '}
                  · {t('sop.standard', { n: s.standardMinutes })}
                  {s.doneAt ? ` · ${t('sop.doneAt', { at: formatTime(s.doneAt) })}` : ''}
                  {s.minutes !== null ? ` · ${t('sop.took', { n: s.minutes })}` : ''}
                </span>
              </span>
            </label>
          </li>
        ))}
      </ol>
      <ErrorNotice error={tick.error} />
    </>
  );
}
