import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LocaleProvider } from '../i18n/LocaleProvider.js';
import { messages } from '../i18n/messages.js';
import { LoginScreen } from './LoginScreen.js';

function render(locale: 'ar' | 'en') {
  return renderToStaticMarkup(
    <LocaleProvider initialLocale={locale}>
      <LoginScreen titleKey="app.clinic.title" subtitleKey="app.clinic.subtitle" onLogin={async () => {}} />
    </LocaleProvider>,
  );
}

describe('LoginScreen', () => {
  it('renders in Arabic by default wording, with a switch to English', () => {
    const html = render('ar');
    expect(html).toContain(messages.ar['app.clinic.title']);
    expect(html).toContain(messages.ar['login.username']);
    expect(html).toContain('>English</button>');
    expect(html).toContain('autoComplete="current-password"');
  });

  it('renders in English with a switch back to Arabic', () => {
    const html = render('en');
    expect(html).toContain('<h2>Sign in</h2>');
    expect(html).toContain('lang="ar"');
    expect(html).toContain(messages.en['language.switchTo']);
  });
});
