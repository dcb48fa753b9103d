/** Car-owner sign-in: mobile number, a one-time code by SMS, validated before anything is sent. */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { isApiError } from '../../api/client';
import { useTranslation } from 'react-i18next';
import { TextField } from '../../ui/form';
import { ErrorNotice, Notice } from '../../ui/states';
import { useAction } from '../../ui/use-async';
import { normalizedPhone, otpProblem, phoneProblem, type Problem } from '../validation/validators';

export interface OwnerSignInFormProps {
  onSendCode: (phone: string) => Promise<{ sentTo: string }>;
  onSignIn: (phone: string, code: string) => Promise<unknown>;
  /** Seconds before another code may be asked for. */
  resendSeconds?: number;
}

export function OwnerSignInForm({
  onSendCode,
  onSignIn,
  resendSeconds = 60,
}: OwnerSignInFormProps): ReactNode {
  const { t } = useTranslation();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [problems, setProblems] = useState<{ phone?: Problem | null; code?: Problem | null }>({});
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [wait, setWait] = useState(0);
  const send = useAction(onSendCode);
  const signIn = useAction(onSignIn);

  useEffect(() => {
    if (wait <= 0) return;
    const h = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(h);
  }, [wait]);

  const askCode = async (): Promise<void> => {
    const p = phoneProblem(phone);
    setProblems((x) => ({ ...x, phone: p }));
    if (p) return;
    const r = await send.run(normalizedPhone(phone));
    if (r.ok) {
      setSentTo(r.value.sentTo);
      setWait(resendSeconds);
    }
  };

  // "a code was just sent": count down what the server asks us to wait
  useEffect(() => {
    const e = send.error;
    if (isApiError(e) && e.code === 'auth.code_recently_sent') {
      const s = (e.details as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
      if (typeof s === 'number' && s > 0) setWait(Math.ceil(s));
    }
  }, [send.error]);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const p = { phone: phoneProblem(phone), code: otpProblem(code) };
    setProblems(p);
    if (p.phone || p.code) return;
    await signIn.run(normalizedPhone(phone), code.trim());
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('auth.owner.title')}>
      <TextField
        label={t('auth.phone')}
        name="phone"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        placeholder={t('auth.phonePlaceholder')}
        value={phone}
        problem={problems.phone}
        onChange={(e) => setPhone(e.target.value)}
      />
      <div className="field-row">
        <TextField
          label={t('auth.code')}
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          placeholder={t('auth.codePlaceholder')}
          value={code}
          problem={problems.code}
          onChange={(e) => setCode(e.target.value)}
          className="grow"
        />
        <button
          type="button"
          className="btn btn-secondary field-row-btn"
          onClick={askCode}
          disabled={send.busy || wait > 0}
          data-testid="send-code"
        >
          {wait > 0 ? t('auth.resendIn', { seconds: wait }) : t('auth.sendCode')}
        </button>
      </div>
      {sentTo ? <Notice kind="success">{t('auth.codeSent', { to: sentTo })}</Notice> : null}
      <ErrorNotice error={send.error ?? signIn.error} />
      <button type="submit" className="btn btn-primary btn-block" disabled={signIn.busy}>
        {signIn.busy ? t('common.working') : t('auth.signIn')}
      </button>
      <p className="muted small">{t('auth.owner.terms')}</p>
    </form>
  );
}
