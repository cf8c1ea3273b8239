import { Group, NavLink as MantineNavLink, ScrollArea, Stack } from '@mantine/core';
import type { Role } from '@telemed/shared';
import { type MessageKey, useSignedInUser, useT } from '@telemed/web-ui';
import { Navigate, NavLink, Outlet } from 'react-router';

interface Section {
  path: string;
  labelKey: MessageKey;
  roles: readonly Role[];
}

/** The admin app's screens, and who may open each: administrators run the service, auditors read its trail. */
export const adminSections: readonly Section[] = [
  { path: '/calendar', labelKey: 'admin.nav.calendar', roles: ['administrator'] },
  { path: '/users', labelKey: 'admin.nav.users', roles: ['administrator'] },
  { path: '/organizations', labelKey: 'admin.nav.organizations', roles: ['administrator'] },
  { path: '/availability', labelKey: 'admin.nav.availability', roles: ['administrator'] },
  { path: '/reports', labelKey: 'admin.nav.reports', roles: ['administrator'] },
  { path: '/governance', labelKey: 'admin.nav.governance', roles: ['administrator'] },
  { path: '/fhir', labelKey: 'fhir.nav', roles: ['administrator'] },
  { path: '/audit', labelKey: 'admin.nav.audit', roles: ['auditor'] },
];

/** The sections a person's role opens, as a bar of links over the page (it scrolls sideways on a phone). */
export function AdminSections() {
  const t = useT();
  const { role } = useSignedInUser();
  const mine = adminSections.filter((s) => s.roles.includes(role));
  return (
    <Stack gap="md">
      <ScrollArea type="auto" offsetScrollbars component="nav" aria-label={t('admin.nav.label')}>
        <Group gap={4} wrap="nowrap">
          {mine.map((section) => (
            <MantineNavLink
              key={section.path}
              component={NavLink}
              to={section.path}
              label={t(section.labelKey)}
              w="auto"
              style={{ whiteSpace: 'nowrap', borderRadius: 6 }}
            />
          ))}
        </Group>
      </ScrollArea>
      <Outlet />
    </Stack>
  );
}

/** `/`: the first section of the person's role. */
export function AdminHome() {
  const { role } = useSignedInUser();
  const first = adminSections.find((s) => s.roles.includes(role));
  return <Navigate to={first?.path ?? '/'} replace />;
}

/** A section of another role: sent to their own first section rather than shown a refusal from the API. */
export function RequireRole({ roles }: { roles: readonly Role[] }) {
  const { role } = useSignedInUser();
  return roles.includes(role) ? <Outlet /> : <AdminHome />;
}
