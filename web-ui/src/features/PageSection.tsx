import { Group, Paper, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A page's panel: a section named by its heading (level 2 under the page's title), with the section's own
 * controls beside the heading (a filter, a status, a button), wrapping under it on a phone.
 */
export function PageSection({
  headingId,
  title,
  size = 'h3',
  actions,
  children,
}: {
  headingId: string;
  title: string;
  /** The heading's look; the level stays 2. */
  size?: 'h3' | 'h4';
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Paper component="section" p="md" shadow="xs" aria-labelledby={headingId}>
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Title order={2} size={size} id={headingId}>
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}
