import { Paper, Text, Title } from '@mantine/core';
import { type MessageKey, useT } from '@telemed/web-ui';

/**
 * Stand-ins for the auditor's trail, the reports and the governance dashboard, which are built beside this
 * app in `web-ui/src/features/{audit,reports,governance}/`; the routes are ready for them.
 */
function Placeholder({ titleKey }: { titleKey: MessageKey }) {
  const t = useT();
  return (
    <Paper component="section" p="md" shadow="xs">
      <Title order={2} size="h3" mb="xs">
        {t(titleKey)}
      </Title>
      <Text c="dimmed">{t('admin.placeholder.coming')}</Text>
    </Paper>
  );
}

export function AuditTrailPage() {
  return <Placeholder titleKey="admin.nav.audit" />;
}

export function ReportsPage() {
  return <Placeholder titleKey="admin.nav.reports" />;
}

export function GovernancePage() {
  return <Placeholder titleKey="admin.nav.governance" />;
}
