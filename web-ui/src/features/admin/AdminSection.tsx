import { Group, Paper, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** An admin page's frame: a section named by its heading, with the page's own actions beside the heading. */
export function AdminSection({
  headingId,
  title,
  actions,
  children,
}: {
  headingId: string;
  title: string;
  actions: ReactNode;
  children: ReactNode;
}) {
  return (
    <Paper component="section" p="md" shadow="xs" aria-labelledby={headingId}>
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Title order={2} size="h3" id={headingId}>
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}
