import { RecordsApiError } from '@telemed/shared';
import { type FormEvent, useState } from 'react';
import { TextField } from '../form/TextField.js';
import { LanguageSwitch } from '../i18n/LanguageSwitch.js';
import { useLocale } from '../i18n/LocaleProvider.js';
import type { MessageKey } from '../i18n/messages.js';

export interface LoginCredentials {
  username: string;
  password: string;
}

export interface LoginScreenProps {
  titleKey: MessageKey;
  subtitleKey: MessageKey;
  /** Resolves when signed in; rejects with an RecordsApiError whose message is shown to the person. */
  onLogin(credentials: LoginCredentials): Promise<void>;
}

export function LoginScreen({ titleKey, subtitleKey, onLogin }: LoginScreenProps) {
  const { t } = useLocale();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError(t('login.missingFields'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onLogin({ username: username.trim(), password });
    } catch (failure) {
      setError(failure instanceof RecordsApiError ? failure.message : t('login.networkError'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login-screen">
      <header className="login-header">
        <LanguageSwitch />
        <p className="platform-name">{t('platform.name')}</p>
        <h1>{t(titleKey)}</h1>
        <p className="subtitle">{t(subtitleKey)}</p>
      </header>
      <form className="login-form" onSubmit={submit} noValidate>
        <h2>{t('login.heading')}</h2>
        <TextField
          label={t('login.username')}
          name="username"
          autoComplete="username"
          dir="auto"
          value={username}
          onValueChange={setUsername}
        />
        <TextField
          label={t('login.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onValueChange={setPassword}
        />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
