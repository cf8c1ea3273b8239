import { Button } from '@mantine/core';
import { useLocale, useT } from './LocaleProvider.js';

/** Shows the other language's name in that language, and says what it does in the current one. */
export function LanguageSwitch() {
  const { locale, setLocale } = useLocale();
  const t = useT();
  const other = locale === 'ar' ? 'en' : 'ar';
  return (
    <Button
      variant="default"
      size="compact-sm"
      radius="xl"
      lang={other}
      aria-label={t('language.switchLabel')}
      onClick={() => setLocale(other)}
    >
      {t('language.switchTo')}
    </Button>
  );
}
