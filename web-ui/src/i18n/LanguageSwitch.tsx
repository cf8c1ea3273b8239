import { useLocale } from './LocaleProvider.js';

export function LanguageSwitch() {
  const { locale, setLocale, t } = useLocale();
  const other = locale === 'ar' ? 'en' : 'ar';
  return (
    <button
      type="button"
      className="language-switch"
      lang={other}
      aria-label={t('language.switchLabel')}
      onClick={() => setLocale(other)}
    >
      {t('language.switchTo')}
    </button>
  );
}
