/**
 * Add a vehicle: plate (required, GA 36 shapes), VIN (optional, 17 characters with the check digit),
 * the model from the catalogue, year and odometer. Everything is checked before it is sent; the
 * server's answer (e.g. a VIN already registered) is shown in the person's language.
 */
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { VehicleInput, VehicleModel } from '../../api/types';
import { SelectField, TextField } from '../../ui/form';
import { ErrorNotice } from '../../ui/states';
import { useAction } from '../../ui/use-async';
import {
  intProblem,
  normalizedPlate,
  normalizedVin,
  plateProblem,
  vinProblem,
  yearProblem,
  type Problem,
} from '../validation/validators';

type Fields = 'plate' | 'vin' | 'model' | 'year' | 'odometer';

export function VehicleForm({
  models,
  onSubmit,
  submitLabel,
}: {
  models: VehicleModel[];
  onSubmit: (v: VehicleInput) => Promise<unknown>;
  submitLabel?: string;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [plate, setPlate] = useState('');
  const [vin, setVin] = useState('');
  const [modelId, setModelId] = useState('');
  const [year, setYear] = useState('');
  const [odometer, setOdometer] = useState('');
  const [nickname, setNickname] = useState('');
  const [problems, setProblems] = useState<Partial<Record<Fields, Problem | null>>>({});
  const action = useAction(onSubmit);

  const byMake = useMemo(() => {
    const groups = new Map<string, VehicleModel[]>();
    for (const m of models) {
      const k = en ? m.make : m.makeZh;
      groups.set(k, [...(groups.get(k) ?? []), m]);
    }
    return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [models, en]);

  const check = (): Partial<Record<Fields, Problem | null>> => ({
    plate: plateProblem(plate),
    vin: vinProblem(vin),
    model: modelId ? null : { key: 'validation.choose' },
    year: yearProblem(year),
    odometer: intProblem(odometer, 0, 3_000_000),
  });

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const p = check();
    setProblems(p);
    if (Object.values(p).some(Boolean)) return;
    await action.run({
      plate: normalizedPlate(plate),
      vin: vin.trim() ? normalizedVin(vin) : null,
      vehicleModelId: modelId,
      year: year.trim() ? Number(year) : null,
      odometerKm: odometer.trim() ? Number(odometer) : null,
      nickname: nickname.trim() || null,
    });
  };

  const blur = (f: Fields) => () => setProblems((p) => ({ ...p, [f]: check()[f] }));

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('vehicles.add')}>
      <TextField
        label={t('vehicles.plate')}
        name="plate"
        placeholder={t('vehicles.platePlaceholder')}
        autoCapitalize="characters"
        value={plate}
        problem={problems.plate}
        onChange={(e) => setPlate(e.target.value)}
        onBlur={plate ? blur('plate') : undefined}
      />
      <SelectField
        label={t('vehicles.model')}
        name="model"
        value={modelId}
        problem={problems.model}
        onChange={(e) => setModelId(e.target.value)}
      >
        <option value="">{t('vehicles.chooseModel')}</option>
        {byMake.map(([make, list]) => (
          <optgroup key={make} label={make}>
            {list.map((m) => (
              <option key={m.id} value={m.id}>
                {en ? `${m.make} ${m.model}` : `${m.makeZh} ${m.modelZh}`} · {t(`powertrain.${m.powertrain}`)}
              </option>
            ))}
          </optgroup>
        ))}
      </SelectField>
      <TextField
        label={t('vehicles.vinOptional')}
        name="vin"
        placeholder={t('vehicles.vinPlaceholder')}
        autoCapitalize="characters"
        maxLength={24}
        value={vin}
        problem={problems.vin}
        hint={t('vehicles.vinHint')}
        onChange={(e) => setVin(e.target.value)}
        onBlur={vin ? blur('vin') : undefined}
      />
      <div className="field-row">
        <TextField
          label={t('vehicles.year')}
          name="year"
          inputMode="numeric"
          value={year}
          problem={problems.year}
          onChange={(e) => setYear(e.target.value)}
          className="grow"
        />
        <TextField
          label={t('vehicles.odometer')}
          name="odometer"
          inputMode="numeric"
          value={odometer}
          problem={problems.odometer}
          onChange={(e) => setOdometer(e.target.value)}
          className="grow"
        />
      </div>
      <TextField
        label={t('vehicles.nickname')}
        name="nickname"
        maxLength={40}
        value={nickname}
        onChange={(e) => setNickname(e.target.value)}
      />
      <ErrorNotice error={action.error} />
      <button type="submit" className="btn btn-primary btn-block" disabled={action.busy}>
        {action.busy ? t('common.working') : (submitLabel ?? t('vehicles.save'))}
      </button>
    </form>
  );
}
