import { Anchor, Group } from '@mantine/core';
import { useT } from '@telemed/web-ui';
import { NavLink, Outlet } from 'react-router';

const sections = [
  { to: '/', key: 'specialist.nav.home', end: true },
  { to: '/schedule', key: 'specialist.nav.schedule', end: false },
  { to: '/notes', key: 'specialist.nav.notes', end: false },
  { to: '/availability', key: 'specialist.nav.availability', end: false },
] as const;

/** The specialist's sections as links above every page, the current one marked (aria-current). */
export function SpecialistSections() {
  const t = useT();
  return (
    <>
      <Group
        component="nav"
        aria-label={t('specialist.nav.label')}
        gap="md"
        mb="md"
        wrap="wrap"
        className="no-print"
      >
        {sections.map((s) => (
          <Anchor
            key={s.to}
            component={NavLink}
            to={s.to}
            end={s.end}
            fw={600}
            style={({ isActive }: { isActive: boolean }) => ({
              textDecoration: isActive ? 'underline' : 'none',
            })}
          >
            {t(s.key)}
          </Anchor>
        ))}
      </Group>
      <Outlet />
    </>
  );
}
