/**
 * The digital inspection at the bay: each point green / yellow / red with a note, and photos taken
 * with the device camera (`capture="environment"` opens the rear camera on phones and tablets).
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { staffClient } from '../../api/client';
import { workOrders } from '../../api/endpoints';
import type { InspectionItem, InspectionResult, WorkOrder } from '../../api/types';
import { Icon } from '../../ui/icons';
import { ErrorNotice } from '../../ui/states';
import { useAction } from '../../ui/use-async';
import { PhotoStrip } from '../owner/work-order-view';

const RESULTS: readonly InspectionResult[] = ['green', 'yellow', 'red'];
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

function InspectionRow({
  wo,
  item,
  editable,
  onChanged,
}: {
  wo: WorkOrder;
  item: InspectionItem;
  editable: boolean;
  onChanged: (w: WorkOrder) => void;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [note, setNote] = useState(item.note ?? '');
  const [tooBig, setTooBig] = useState(false);
  const save = useAction(async (result: InspectionResult) => {
    onChanged(
      await workOrders.inspect(wo.id, item.id, { result, ...(note.trim() ? { note: note.trim() } : {}) }),
    );
  });
  const upload = useAction(async (file: File) => {
    await workOrders.uploadPhoto(wo.id, file, item.id);
    onChanged(await workOrders.get(wo.id));
  });
  return (
    <li data-testid="inspection-item" data-code={item.code}>
      <span className={`light light-${item.result ?? 'none'}`} aria-hidden="true" />
      <div className="grow stack-tight">
        <strong>{en ? item.nameEn : item.nameZh}</strong>
        {editable ? (
          <>
            <div
              className="segmented small result-buttons"
              role="radiogroup"
              aria-label={en ? item.nameEn : item.nameZh}
            >
              {RESULTS.map((r) => (
                <button
                  type="button"
                  key={r}
                  role="radio"
                  data-result={r}
                  aria-checked={item.result === r}
                  disabled={save.busy}
                  onClick={() => void save.run(r)}
                >
                  {t(`inspection.result.${r}`)}
                </button>
              ))}
            </div>
            <input
              className="inline-input"
              value={note}
              maxLength={500}
              placeholder={t('inspection.note')}
              aria-label={t('inspection.note')}
              onChange={(e) => setNote(e.target.value)}
              onBlur={() => {
                if (item.result && note.trim() !== (item.note ?? '')) void save.run(item.result);
              }}
            />
            <label className="btn btn-small photo-btn">
              <Icon name="camera" size={16} /> {upload.busy ? t('common.working') : t('inspection.takePhoto')}
              <input
                type="file"
                accept="image/jpeg,image/png,image/webp"
                capture="environment"
                hidden
                data-testid="photo-input"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  e.target.value = '';
                  if (!f) return;
                  if (f.size > MAX_PHOTO_BYTES) {
                    setTooBig(true);
                    return;
                  }
                  setTooBig(false);
                  void upload.run(f);
                }}
              />
            </label>
          </>
        ) : (
          <span className="muted small">
            {t(`inspection.result.${item.result ?? 'none'}`)}
            {item.note ? ` · ${item.note}` : ''}
          </span>
        )}
        {tooBig ? <div className="field-error">{t('validation.photoTooBig', { mb: 10 })}</div> : null}
        <ErrorNotice error={save.error ?? upload.error} />
        <PhotoStrip workOrderId={wo.id} photoIds={item.photoIds} api={staffClient} />
      </div>
    </li>
  );
}

export function InspectionChecklist({
  wo,
  editable,
  onChanged,
}: {
  wo: WorkOrder;
  editable: boolean;
  onChanged: (w: WorkOrder) => void;
}): ReactNode {
  const { t } = useTranslation();
  const done = wo.inspection.filter((i) => i.result !== null).length;
  return (
    <>
      <p className="muted small">{t('inspection.progress', { done, total: wo.inspection.length })}</p>
      <ul className="checklist" data-testid="inspection-checklist">
        {wo.inspection.map((i) => (
          <InspectionRow key={i.id} wo={wo} item={i} editable={editable} onChanged={onChanged} />
        ))}
      </ul>
    </>
  );
}
