import { Stack, Title } from '@mantine/core';
import { useT } from '../../i18n/LocaleProvider.js';
import { NetworkTestPanel } from './NetworkTestPanel.js';

/** Where the network test lives on its own page: reached from the clinic's home screen. */
export const networkTestPath = '/network-test';

/** `/network-test`: a clinic checks its link before a consultation, at any time, without joining a call. */
export function NetworkTestPage() {
  const t = useT();
  return (
    <Stack gap="md" maw={720}>
      <Title order={2} size="h3">
        {t('precall.page.title')}
      </Title>
      <NetworkTestPanel />
    </Stack>
  );
}
