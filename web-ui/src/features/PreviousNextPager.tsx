import { Button, Group, Text } from '@mantine/core';
import { useT } from '../i18n/LocaleProvider.js';

/**
 * Previous and next for a list records pages without a total (`hasMore`): shown only when there is another
 * page either way, with the page number between.
 */
export function PreviousNextPager({
  page,
  hasMore,
  onChange,
}: {
  page: number;
  hasMore: boolean;
  onChange: (page: number) => void;
}) {
  const t = useT();
  if (page === 1 && !hasMore) return null;
  return (
    <Group justify="space-between" mt="sm">
      <Button variant="default" size="compact-sm" disabled={page === 1} onClick={() => onChange(page - 1)}>
        {t('history.previousPage')}
      </Button>
      <Text size="sm">{t('history.pageN', { page })}</Text>
      <Button variant="default" size="compact-sm" disabled={!hasMore} onClick={() => onChange(page + 1)}>
        {t('history.nextPage')}
      </Button>
    </Group>
  );
}
