import { RecordsApiError } from '@telemed/shared';
import { type FormEvent, useState } from 'react';
import { TextField } from '../form/TextField.js';
import { useLocale } from '../i18n/LocaleProvider.js';
import { useSession } from './SessionProvider.js';

/** Shown when an administrator set the password: the person chooses their own before anything else. */
export function ChangePasswordScreen() {
  const { t } = useLocale();
  const { client } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (next.length < 10) return setError(t('password.tooShort'));
    if (next !== confirm) return setError(t('password.mismatch'));
    setBusy(true);
    setError(null);
    try {
      await client.changePassword({ currentPassword: current, newPassword: next });
    } catch (failure) {
      setError(failure instanceof RecordsApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="login-form narrow" onSubmit={submit} noValidate>
      <h2>{t('password.heading')}</h2>
      <p className="muted">{t('password.explain')}</p>
      <TextField
        label={t('password.current')}
        type="password"
        autoComplete="current-password"
        value={current}
        onValueChange={setCurrent}
      />
      <TextField
        label={t('password.new')}
        type="password"
        autoComplete="new-password"
        value={next}
        onValueChange={setNext}
      />
      <TextField
        label={t('password.confirm')}
        type="password"
        autoComplete="new-password"
        value={confirm}
        onValueChange={setConfirm}
      />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('password.submit')}
      </button>
    </form>
  );
}
