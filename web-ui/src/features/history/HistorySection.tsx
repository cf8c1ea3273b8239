import { Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** One part of a patient's history: a card with its heading, named for assistive technology by that heading. */
export function HistorySection({
  headingId,
  title,
  size = 'h3',
  children,
}: {
  headingId: string;
  title: string;
  /** The heading's look; the level stays 2. */
  size?: 'h3' | 'h4';
  children: ReactNode;
}) {
  return (
    <Paper component="section" p="md" shadow="xs" aria-labelledby={headingId}>
      <Title order={2} size={size} id={headingId} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** One fact of the patient's record: a small dimmed label above its value. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <div>{children}</div>
    </div>
  );
}
