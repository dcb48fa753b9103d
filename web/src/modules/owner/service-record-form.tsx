/**
 * Record a service done elsewhere — the last oil change at another shop, new tyres from a tyre
 * dealer — so that predictive maintenance counts from it instead of warning about work already
 * done. What was serviced, the day (not in the future) and, if known, the odometer; checked here
 * and again by the server, whose refusal is shown in the person's language.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SERVICE_COMPONENTS, type ServiceComponent, type ServiceRecordInput } from '../../api/types';
import { SelectField, TextField } from '../../ui/form';
import { ErrorNotice } from '../../ui/states';
import { useAction } from '../../ui/use-async';
import { intProblem, type Problem } from '../validation/validators';

type Fields = 'component' | 'day' | 'odometer';

/** `yyyy-mm-dd` of a date in the browser's time zone. */
function localDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function ServiceRecordForm({
  onSubmit,
  now = () => new Date(),
}: {
  onSubmit: (input: ServiceRecordInput) => Promise<unknown>;
  now?: () => Date;
}): ReactNode {
  const { t } = useTranslation();
  const today = localDay(now());
  const [component, setComponent] = useState<ServiceComponent | ''>('');
  const [day, setDay] = useState(today);
  const [odometer, setOdometer] = useState('');
  const [problems, setProblems] = useState<Partial<Record<Fields, Problem | null>>>({});
  const action = useAction(onSubmit);

  const check = (): Partial<Record<Fields, Problem | null>> => ({
    component: component ? null : { key: 'validation.choose' },
    day: !/^\d{4}-\d{2}-\d{2}$/.test(day)
      ? { key: 'validation.required' }
      : day > today
        ? { key: 'serviceRecords.notInFuture' }
        : null,
    odometer: intProblem(odometer, 0, 2_000_000),
  });

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const p = check();
    setProblems(p);
    if (Object.values(p).some(Boolean) || !component) return;
    const r = await action.run({
      component,
      day,
      ...(odometer.trim() ? { odometerKm: Number(odometer) } : {}),
    });
    if (r.ok) {
      setComponent('');
      setOdometer('');
      setDay(today);
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('serviceRecords.add')}>
      <SelectField
        label={t('serviceRecords.component')}
        name="component"
        value={component}
        problem={problems.component}
        onChange={(e) => setComponent(e.target.value as ServiceComponent | '')}
      >
        <option value="">{t('validation.chooseOption')}</option>
        {SERVICE_COMPONENTS.map((c) => (
          <option key={c} value={c}>
            {t(`serviceRecords.components.${c}`)}
          </option>
        ))}
      </SelectField>
      <div className="field-row">
        <TextField
          label={t('serviceRecords.day')}
          name="day"
          type="date"
          max={today}
          value={day}
          problem={problems.day}
          onChange={(e) => setDay(e.target.value)}
          className="grow"
        />
        <TextField
          label={t('serviceRecords.odometer')}
          name="odometer"
          inputMode="numeric"
          value={odometer}
          problem={problems.odometer}
          onChange={(e) => setOdometer(e.target.value)}
          className="grow"
        />
      </div>
      {action.error ? <ErrorNotice error={action.error} /> : null}
      <button type="submit" className="btn btn-primary btn-block" disabled={action.busy}>
        {t('serviceRecords.save')}
      </button>
    </form>
  );
}
