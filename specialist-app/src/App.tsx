import { LocaleProvider, type LoginCredentials, LoginScreen, requestJson, useLocale } from '@telemed/web-ui';

function SignIn() {
  const { locale, t } = useLocale();
  async function login(credentials: LoginCredentials) {
    await requestJson('/api/auth/login', {
      method: 'POST',
      body: credentials,
      locale,
      networkErrorMessage: t('login.networkError'),
    });
  }
  return (
    <LoginScreen titleKey="app.specialist.title" subtitleKey="app.specialist.subtitle" onLogin={login} />
  );
}

export function App() {
  return (
    <LocaleProvider>
      <SignIn />
    </LocaleProvider>
  );
}
