import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

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
