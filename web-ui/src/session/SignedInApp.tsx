import { type Role, roleLabels } from '@telemed/shared';
import type { ReactNode } from 'react';
import { LanguageSwitch } from '../i18n/LanguageSwitch.js';
import { useLocale } from '../i18n/LocaleProvider.js';
import type { MessageKey } from '../i18n/messages.js';
import { LoginScreen } from '../login/LoginScreen.js';
import { ChangePasswordScreen } from './ChangePasswordScreen.js';
import { useSession } from './SessionProvider.js';

export interface SignedInAppProps {
  /** The role this app serves; anyone else is told to use their own app. */
  forRole: Role;
  titleKey: MessageKey;
  subtitleKey: MessageKey;
  /** What the signed-in person of the right role sees. */
  children: ReactNode;
}

/** Sign-in, forced password change, role gate, then the app's own screens under a header. */
export function SignedInApp({ forRole, titleKey, subtitleKey, children }: SignedInAppProps) {
  const { locale, t } = useLocale();
  const { state, client } = useSession();

  if (state.status === 'restoring') return <p className="centered muted">{t('session.restoring')}</p>;
  if (state.status === 'signed-out') {
    return (
      <LoginScreen
        titleKey={titleKey}
        subtitleKey={subtitleKey}
        onLogin={async (credentials) => {
          await client.login(credentials);
        }}
      />
    );
  }
  const { user } = state;
  return (
    <div className="app-shell">
      <header className="app-header">
        <div>
          <h1>{t(titleKey)}</h1>
          <p className="muted">{t('platform.name')}</p>
        </div>
        <div className="who">
          <span>
            {locale === 'ar' ? user.name.ar : user.name.latin} · {roleLabels[user.role][locale]}
          </span>
          <LanguageSwitch />
          <button type="button" className="link-button" onClick={() => void client.logout()}>
            {t('session.signOut')}
          </button>
        </div>
      </header>
      <main className="app-main">
        {user.role !== forRole ? (
          <p className="form-error" role="alert">
            {t('session.wrongApp')}
          </p>
        ) : user.mustChangePassword ? (
          <ChangePasswordScreen />
        ) : (
          children
        )}
      </main>
    </div>
  );
}
