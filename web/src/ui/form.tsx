/** Form fields with a label, a hint and the validation message in the person's language. */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '../modules/validation/validators';
import { formatFen } from './format';

interface FieldShell {
  label: ReactNode;
  problem?: Problem | null;
  hint?: ReactNode;
}

export function FieldMessage({ id, problem }: { id: string; problem?: Problem | null }): ReactNode {
  const { t } = useTranslation();
  if (!problem) return null;
  return (
    <div className="field-error" id={id} role="alert">
      {t(problem.key, problem.values ?? {})}
    </div>
  );
}

export function TextField({
  label,
  problem,
  hint,
  id,
  className,
  ...input
}: FieldShell & InputHTMLAttributes<HTMLInputElement>): ReactNode {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <div className={`field${problem ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={fid}>{label}</label>
      <input
        id={fid}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${fid}-error` : undefined}
        {...input}
      />
      {hint && !problem ? <div className="field-hint">{hint}</div> : null}
      <FieldMessage id={`${fid}-error`} problem={problem} />
    </div>
  );
}

export function SelectField({
  label,
  problem,
  hint,
  id,
  children,
  ...select
}: FieldShell & SelectHTMLAttributes<HTMLSelectElement>): ReactNode {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <div className={`field${problem ? ' field-invalid' : ''}`}>
      <label htmlFor={fid}>{label}</label>
      <select
        id={fid}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${fid}-error` : undefined}
        {...select}
      >
        {children}
      </select>
      {hint && !problem ? <div className="field-hint">{hint}</div> : null}
      <FieldMessage id={`${fid}-error`} problem={problem} />
    </div>
  );
}

export function Money({ fen, className }: { fen: number; className?: string }): ReactNode {
  return <span className={`money${className ? ` ${className}` : ''}`}>{formatFenSafe(fen)}</span>;
}

function formatFenSafe(fen: number): string {
  return Number.isFinite(fen) ? formatFen(fen) : '—';
}
