/**
 * Arrival at the store: check in a booking (odometer, fuel or charge level) or a walk-in by plate and
 * phone. Both are validated before sending.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceItem, VehicleModel } from '../../api/types';
import { FieldMessage, SelectField, TextField } from '../../ui/form';
import { ErrorNotice } from '../../ui/states';
import { useAction } from '../../ui/use-async';
import {
  intProblem,
  normalizedPhone,
  normalizedPlate,
  phoneProblem,
  plateProblem,
  type Problem,
} from '../validation/validators';

export interface ArrivalInput {
  odometerKm: number;
  fuelLevelPct: number;
  notes?: string;
}

function ArrivalFields({
  odometer,
  fuel,
  notes,
  setOdometer,
  setFuel,
  setNotes,
  problems,
}: {
  odometer: string;
  fuel: string;
  notes: string;
  setOdometer: (v: string) => void;
  setFuel: (v: string) => void;
  setNotes: (v: string) => void;
  problems: { odometer?: Problem | null; fuel?: Problem | null };
}): ReactNode {
  const { t } = useTranslation();
  return (
    <>
      <div className="field-row">
        <TextField
          label={t('checkIn.odometer')}
          name="odometerKm"
          inputMode="numeric"
          value={odometer}
          problem={problems.odometer}
          onChange={(e) => setOdometer(e.target.value)}
        />
        <TextField
          label={t('checkIn.fuel')}
          name="fuelLevelPct"
          inputMode="numeric"
          value={fuel}
          problem={problems.fuel}
          onChange={(e) => setFuel(e.target.value)}
        />
      </div>
      <TextField
        label={t('checkIn.notes')}
        name="notes"
        maxLength={500}
        value={notes}
        onChange={(e) => setNotes(e.target.value)}
      />
    </>
  );
}

export function CheckInForm({ onSubmit }: { onSubmit: (v: ArrivalInput) => Promise<unknown> }): ReactNode {
  const { t } = useTranslation();
  const [odometer, setOdometer] = useState('');
  const [fuel, setFuel] = useState('');
  const [notes, setNotes] = useState('');
  const [problems, setProblems] = useState<{ odometer?: Problem | null; fuel?: Problem | null }>({});
  const action = useAction(onSubmit);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const p = { odometer: intProblem(odometer, 0, 3_000_000, true), fuel: intProblem(fuel, 0, 100, true) };
    setProblems(p);
    if (p.odometer || p.fuel) return;
    await action.run({
      odometerKm: Number(odometer),
      fuelLevelPct: Number(fuel),
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    });
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('checkIn.title')}>
      <ArrivalFields {...{ odometer, fuel, notes, setOdometer, setFuel, setNotes, problems }} />
      <ErrorNotice error={action.error} />
      <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="check-in-submit">
        {action.busy ? t('common.working') : t('checkIn.submit')}
      </button>
    </form>
  );
}

export interface WalkInInput extends ArrivalInput {
  plate: string;
  phone: string;
  name?: string;
  vehicleModelId?: string;
  items: string[];
}

export function WalkInForm({
  items,
  models,
  initial,
  onSubmit,
}: {
  items: ServiceItem[];
  models: VehicleModel[];
  initial?: { plate?: string; phone?: string };
  onSubmit: (v: WalkInInput) => Promise<unknown>;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [plate, setPlate] = useState(initial?.plate ?? '');
  const [phone, setPhone] = useState(initial?.phone ?? '');
  const [name, setName] = useState('');
  const [modelId, setModelId] = useState('');
  const [codes, setCodes] = useState<string[]>([]);
  const [odometer, setOdometer] = useState('');
  const [fuel, setFuel] = useState('');
  const [notes, setNotes] = useState('');
  const [problems, setProblems] = useState<Record<string, Problem | null>>({});
  const action = useAction(onSubmit);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const p = {
      plate: plateProblem(plate),
      phone: phoneProblem(phone),
      items: codes.length === 0 ? { key: 'validation.chooseService' } : null,
      odometer: intProblem(odometer, 0, 3_000_000, true),
      fuel: intProblem(fuel, 0, 100, true),
    };
    setProblems(p);
    if (Object.values(p).some(Boolean)) return;
    await action.run({
      plate: normalizedPlate(plate),
      phone: normalizedPhone(phone),
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(modelId ? { vehicleModelId: modelId } : {}),
      items: codes,
      odometerKm: Number(odometer),
      fuelLevelPct: Number(fuel),
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('walkIn.title')}>
      <div className="field-row">
        <TextField
          label={t('vehicles.plate')}
          name="plate"
          value={plate}
          problem={problems.plate}
          onChange={(e) => setPlate(e.target.value)}
        />
        <TextField
          label={t('auth.phone')}
          name="phone"
          type="tel"
          value={phone}
          problem={problems.phone}
          onChange={(e) => setPhone(e.target.value)}
        />
      </div>
      <div className="field-row">
        <TextField
          label={t('walkIn.name')}
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <SelectField
          label={t('walkIn.model')}
          name="model"
          value={modelId}
          onChange={(e) => setModelId(e.target.value)}
          hint={t('walkIn.modelHint')}
        >
          <option value="">{t('walkIn.knownVehicle')}</option>
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {en ? `${m.make} ${m.model}` : `${m.makeZh} ${m.modelZh}`}
            </option>
          ))}
        </SelectField>
      </div>
      <fieldset>
        <legend>{t('walkIn.services')}</legend>
        <div className="chips">
          {items
            .filter((i) => i.active)
            .map((i) => (
              <button
                type="button"
                key={i.code}
                className={`chip${codes.includes(i.code) ? ' picked' : ''}`}
                aria-pressed={codes.includes(i.code)}
                onClick={() =>
                  setCodes((c) => (c.includes(i.code) ? c.filter((x) => x !== i.code) : [...c, i.code]))
                }
              >
                {en ? i.nameEn : i.nameZh}
              </button>
            ))}
        </div>
        <FieldMessage id="walkin-items" problem={problems.items} />
      </fieldset>
      <ArrivalFields {...{ odometer, fuel, notes, setOdometer, setFuel, setNotes, problems }} />
      <ErrorNotice error={action.error} />
      <button type="submit" className="btn btn-primary" disabled={action.busy}>
        {action.busy ? t('common.working') : t('walkIn.submit')}
      </button>
    </form>
  );
}
