import { Center, Group, Loader, Text } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useT } from '../../i18n/LocaleProvider.js';
import { useSession } from '../../session/SessionProvider.js';
import { AppLayout } from '../shell/AppLayout.js';
import { type AppIdentity, type ReturnTo, servesRole } from './AppIdentity.js';
import { WrongAppNotice } from './WrongAppNotice.js';

export const changePasswordPath = '/change-password';

/**
 * The guard over every signed-in route: a signed-out person goes to `/login` (and comes back here after), a
 * person of another role is given a link to their own app, and one who must change the password does that first.
 */
export function RequireSession({ app }: { app: AppIdentity }) {
  const t = useT();
  const { state } = useSession();
  const location = useLocation();

  if (state.status === 'restoring') {
    return (
      <Center mih="100dvh">
        <Group gap="xs">
          <Loader size="sm" aria-hidden />
          <Text c="dimmed">{t('session.restoring')}</Text>
        </Group>
      </Center>
    );
  }
  if (state.status === 'signed-out') {
    const returnTo: ReturnTo = {
      from: { pathname: location.pathname, search: location.search, hash: location.hash },
    };
    return <Navigate to="/login" replace state={returnTo} />;
  }
  const { user } = state;
  const ownApp = servesRole(app, user.role);
  if (ownApp && user.mustChangePassword && location.pathname !== changePasswordPath) {
    const returnTo: ReturnTo = { from: { pathname: location.pathname, search: location.search } };
    return <Navigate to={changePasswordPath} replace state={returnTo} />;
  }
  return <AppLayout app={app}>{!ownApp ? <WrongAppNotice role={user.role} /> : <Outlet />}</AppLayout>;
}
