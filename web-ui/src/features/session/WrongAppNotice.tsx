import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { appLinksPath, appLinksSchema, type Role, roleLabels } from '@telemed/shared';
import { useLocale, useT } from '../../i18n/LocaleProvider.js';

/**
 * Shown to a person signed in to an app that is not theirs: which app is, with a link to it. The links come
 * from `/app-links.json`, which each app's server builds from the platform's configuration; without them the
 * notice still says whose app this is not.
 */
export function WrongAppNotice({ role }: { role: Role }) {
  const t = useT();
  const { locale } = useLocale();
  const links = useQuery({
    queryKey: ['app-links'],
    queryFn: async () => {
      const response = await fetch(appLinksPath, { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`${appLinksPath}: ${response.status}`);
      return appLinksSchema.parse(await response.json());
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: 1,
  });
  const url = links.data?.[role];
  return (
    <Alert color="orange" role="alert" title={t('admin.wrongApp.heading')}>
      <Stack gap="xs">
        <Text>{t('admin.wrongApp.explain', { role: roleLabels[role][locale] })}</Text>
        {url && (
          <Anchor href={`${url}/login`} fw={600}>
            {t('admin.wrongApp.link', { app: t(`admin.appOfRole.${role}`) })}
          </Anchor>
        )}
        {links.isError && <Text size="sm">{t('session.wrongApp')}</Text>}
      </Stack>
    </Alert>
  );
}
