/**
 * What the owner sees of a work order: progress, the timeline with every node, the inspection with
 * photos, the estimate lines to approve or decline, and the review once the car is handed over.
 */
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient } from '../../api/client';
import { workOrders } from '../../api/endpoints';
import type { EstimateLine, InspectionItem, TimelineNode, WorkOrderStatus } from '../../api/types';
import { AuthPhoto } from '../../ui/auth-photo';
import { WORK_ORDER_FLOW } from '../../api/types';
import { FieldMessage, Money } from '../../ui/form';
import { dayOf, formatDay, formatQty, formatTime } from '../../ui/format';
import { ErrorNotice, Notice } from '../../ui/states';
import { useAction } from '../../ui/use-async';
import type { Problem } from '../validation/validators';

export function WorkOrderProgress({ status }: { status: WorkOrderStatus }): ReactNode {
  const { t } = useTranslation();
  const idx = WORK_ORDER_FLOW.indexOf(status);
  const shown = WORK_ORDER_FLOW.filter((s) => s !== 'estimate' && s !== 'reviewed');
  if (status === 'cancelled') return <Notice kind="warn">{t('woStatus.cancelled')}</Notice>;
  return (
    <ol className="wo-progress" data-testid="wo-progress" data-status={status}>
      {shown.map((s) => {
        const i = WORK_ORDER_FLOW.indexOf(s);
        return (
          <li key={s} className={i < idx ? 'done' : i === idx ? 'current' : ''}>
            <span className="dot" aria-hidden="true" />
            <span>{t(`woStatus.${s}`)}</span>
          </li>
        );
      })}
    </ol>
  );
}

/** Consecutive nodes of the same kind by the same role (e.g. eight SOP ticks) become one line. */
export function groupTimeline(nodes: TimelineNode[]): Array<TimelineNode & { count: number }> {
  const out: Array<TimelineNode & { count: number }> = [];
  for (const n of nodes) {
    const last = out.at(-1);
    if (
      last &&
      last.event === n.event &&
      last.to === n.to &&
      last.actorRole === n.actorRole &&
      last.from === n.from
    ) {
      last.count += 1;
      last.at = n.at;
    } else out.push({ ...n, count: 1 });
  }
  return out;
}

export function Timeline({ nodes }: { nodes: TimelineNode[] }): ReactNode {
  const { t, i18n } = useTranslation();
  if (nodes.length === 0) return <p className="muted">{t('common.empty')}</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {groupTimeline(nodes).map((n, i) => (
        <li key={`${n.at}-${i}`}>
          <time dateTime={n.at}>
            {formatDay(dayOf(n.at), i18n.language)} {formatTime(n.at)}
          </time>
          <strong>
            {t(`woEvent.${n.event}`, { defaultValue: n.event.replace(/_/g, ' ') })}
            {n.count > 1 ? ` × ${n.count}` : ''}
          </strong>
          {n.to && n.to !== n.from ? (
            <span className="muted small"> → {t(`woStatus.${n.to}`, { defaultValue: n.to })}</span>
          ) : null}
          {n.actorRole ? (
            <span className="muted small">
              {' '}
              · {t(`roles.${n.actorRole}`, { defaultValue: n.actorRole })}
              {n.actorName ? ` ${n.actorName}` : ''}
            </span>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

export function PhotoStrip({
  workOrderId,
  photoIds,
  api,
}: {
  workOrderId: string;
  photoIds: string[];
  api: ApiClient;
}): ReactNode {
  const { t } = useTranslation();
  if (photoIds.length === 0) return null;
  return (
    <div className="photos">
      {photoIds.map((pid) => (
        <AuthPhoto
          key={pid}
          alt={t('inspection.photo')}
          load={() => workOrders.photo(workOrderId, pid, api)}
        />
      ))}
    </div>
  );
}

export function InspectionReport({
  items,
  workOrderId,
  api,
}: {
  items: InspectionItem[];
  workOrderId: string;
  /** null: photos are not shown (the signed approval link carries no session). */
  api: ApiClient | null;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const checked = items.filter((i) => i.result !== null);
  if (checked.length === 0) return <p className="muted">{t('inspection.notYet')}</p>;
  const rank = { red: 0, yellow: 1, green: 2 } as const;
  const findings = checked.filter((i) => i.result !== 'green' || i.note || i.photoIds.length > 0);
  const fine = checked.filter((i) => !findings.includes(i));
  const row = (i: InspectionItem): ReactNode => (
    <li key={i.id} className={`result-${i.result ?? 'none'}`}>
      <span
        className={`light light-${i.result ?? 'none'}`}
        aria-label={t(`inspection.result.${i.result ?? 'none'}`)}
      />
      <div className="grow">
        <strong>{en ? i.nameEn : i.nameZh}</strong>
        <span className="muted small"> {t(`inspection.result.${i.result ?? 'none'}`)}</span>
        {i.note ? <div className="small">{i.note}</div> : null}
        {api ? <PhotoStrip workOrderId={workOrderId} photoIds={i.photoIds} api={api} /> : null}
        {!api && i.photoIds.length > 0 ? (
          <div className="muted small">{t('inspection.photoCount', { count: i.photoIds.length })}</div>
        ) : null}
      </div>
    </li>
  );
  return (
    <div data-testid="inspection-report">
      <ul className="inspection-report">
        {[...findings].sort((a, b) => rank[a.result ?? 'green'] - rank[b.result ?? 'green']).map(row)}
      </ul>
      {fine.length > 0 ? (
        <details className="inspection-fine">
          <summary>
            <span className="light light-green inline" aria-hidden="true" />{' '}
            {t('inspection.allFine', { count: fine.length })}
          </summary>
          <ul className="inspection-report">{fine.map(row)}</ul>
        </details>
      ) : null}
    </div>
  );
}

/**
 * The owner approves or declines each pending line; lines already decided are shown as such. The
 * total of what will be done updates as lines are toggled.
 */
export function EstimateApproval({
  lines,
  onSubmit,
}: {
  lines: EstimateLine[];
  onSubmit: (decisions: Array<{ lineId: string; approve: boolean }>) => Promise<unknown>;
}): ReactNode {
  const { t } = useTranslation();
  const pending = lines.filter((l) => l.approval === 'pending');
  const [choice, setChoice] = useState<Record<string, boolean | undefined>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const action = useAction(onSubmit);
  const totalFen = useMemo(
    () =>
      lines.reduce((sum, l) => {
        const ok = l.approval === 'approved' || (l.approval === 'pending' && choice[l.id] === true);
        return ok ? sum + l.amountFen : sum;
      }, 0),
    [lines, choice],
  );

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const undecided = pending.filter((l) => choice[l.id] === undefined);
    if (undecided.length > 0) {
      setProblem({ key: 'validation.decideAll', values: { count: undecided.length } });
      return;
    }
    setProblem(null);
    await action.run(pending.map((l) => ({ lineId: l.id, approve: choice[l.id] === true })));
  };

  return (
    <form className="estimate-approval" onSubmit={submit} noValidate data-testid="estimate-approval">
      <ul className="lines">
        {lines.map((l) => (
          <li key={l.id} className={`line line-${l.approval}`}>
            <div className="grow">
              {l.recommended ? (
                <span className="tag tag-recommended">{t('estimate.recommended')}</span>
              ) : null}{' '}
              <span className={`tag tag-${l.kind}`}>{t(`price.kind.${l.kind}`)}</span> {l.description}
              <div className="muted small">
                {formatQty(l.qtyMilli)} × <Money fen={l.unitPriceFen} /> = <Money fen={l.amountFen} />
              </div>
            </div>
            {l.approval === 'pending' ? (
              <div className="segmented small" role="radiogroup" aria-label={l.description}>
                <button
                  type="button"
                  role="radio"
                  aria-checked={choice[l.id] === true}
                  onClick={() => setChoice((c) => ({ ...c, [l.id]: true }))}
                  data-testid="approve-line"
                >
                  {t('estimate.approve')}
                </button>
                <button
                  type="button"
                  role="radio"
                  aria-checked={choice[l.id] === false}
                  onClick={() => setChoice((c) => ({ ...c, [l.id]: false }))}
                  data-testid="decline-line"
                >
                  {t('estimate.decline')}
                </button>
              </div>
            ) : (
              <span className={`badge badge-${l.approval}`}>{t(`estimate.${l.approval}`)}</span>
            )}
          </li>
        ))}
      </ul>
      <div className="total-row">
        <span>{t('estimate.approvedTotal')}</span>
        <Money fen={totalFen} className="money-total" />
      </div>
      <FieldMessage id="approval-problem" problem={problem} />
      <ErrorNotice error={action.error} />
      {pending.length > 0 ? (
        <button
          type="submit"
          className="btn btn-primary btn-block"
          disabled={action.busy}
          data-testid="submit-approval"
        >
          {action.busy ? t('common.working') : t('estimate.submitDecisions')}
        </button>
      ) : null}
    </form>
  );
}

export function ReviewForm({
  onSubmit,
}: {
  onSubmit: (stars: number, text: string, tags: string[]) => Promise<unknown>;
}): ReactNode {
  const { t } = useTranslation();
  const [stars, setStars] = useState(0);
  const [text, setText] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const action = useAction(onSubmit);
  const TAGS = ['on_time', 'clear_price', 'clean', 'explained', 'friendly'];
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (stars < 1) {
      setProblem({ key: 'validation.stars' });
      return;
    }
    if (text.length > 500) {
      setProblem({ key: 'validation.too_long', values: { max: 500 } });
      return;
    }
    setProblem(null);
    await action.run(stars, text.trim(), tags);
  };
  return (
    <form
      className="form"
      onSubmit={submit}
      noValidate
      aria-label={t('review.title')}
      data-testid="review-form"
    >
      <div className="stars" role="radiogroup" aria-label={t('review.stars')}>
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            type="button"
            key={n}
            role="radio"
            aria-checked={stars === n}
            aria-label={t('review.starN', { n })}
            className={n <= stars ? 'on' : ''}
            onClick={() => setStars(n)}
          >
            ★
          </button>
        ))}
      </div>
      <div className="chips">
        {TAGS.map((tag) => (
          <button
            type="button"
            key={tag}
            className={`chip${tags.includes(tag) ? ' picked' : ''}`}
            aria-pressed={tags.includes(tag)}
            onClick={() => setTags((x) => (x.includes(tag) ? x.filter((y) => y !== tag) : [...x, tag]))}
          >
            {t(`review.tags.${tag}`)}
          </button>
        ))}
      </div>
      <div className="field">
        <label htmlFor="review-text">{t('review.text')}</label>
        <textarea id="review-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <FieldMessage id="review-problem" problem={problem} />
      <ErrorNotice error={action.error} />
      <button
        type="submit"
        className="btn btn-primary btn-block"
        disabled={action.busy}
        data-testid="submit-review"
      >
        {action.busy ? t('common.working') : t('review.submit')}
      </button>
    </form>
  );
}
