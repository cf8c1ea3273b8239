import { Text } from '@mantine/core';
import type { CallRole } from '@telemed/shared';

export interface ConsultationSidePanelsProps {
  appointmentId: string;
  consultationId: string;
  role: CallRole;
}

/**
 * A placeholder with the integration contract's name and props, so the call screen compiles; the panels
 * branch (vitals, chat, attachments, snapshot) replaces this file at merge.
 */
export function ConsultationSidePanels({ consultationId }: ConsultationSidePanelsProps) {
  return (
    <Text c="dimmed" size="sm" data-consultation-id={consultationId}>
      …
    </Text>
  );
}
