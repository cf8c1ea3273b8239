import { Stack, Text } from '@mantine/core';
import type { AuditEvent } from '@telemed/shared';
import { useT } from '../../i18n/LocaleProvider.js';
import { useFormatters } from '../formatting.js';

/** Patients named in one row at most; a list read names many, and the event's page lists them all. */
const patientsShown = 3;

/** Who acted: their name in the person's language and role, with the account id as secondary text. */
export function AuditPersonCell({ event }: { event: AuditEvent }) {
  const t = useT();
  const format = useFormatters();
  if (!event.actorId) return <Text c="dimmed">—</Text>;
  return (
    <Stack gap={0}>
      <Text size="sm">
        {event.actor ? format.personName(event.actor.name) : '—'}
        {event.actorRole && (
          <Text span c="dimmed" size="sm">
            {' · '}
            {t(`audit.role.${event.actorRole}`)}
          </Text>
        )}
      </Text>
      <Text size="xs" c="dimmed">
        <bdi className="identifier">{event.actorId}</bdi>
      </Text>
    </Stack>
  );
}

/**
 * The patients an event names: name and MRN, the patient id as secondary text. `first` (the patient the trail is
 * filtered to) leads the list, so that a list read naming many patients still shows why it is in the filtered trail.
 */
export function AuditPatientsCell({ event, first }: { event: AuditEvent; first?: string | undefined }) {
  const t = useT();
  const format = useFormatters();
  const named = event.patients ?? [];
  if (event.patientIds.length === 0) return <Text c="dimmed">—</Text>;
  const unnamed = event.patientIds.filter((id) => !named.some((p) => p.id === id));
  const rows = [
    ...named.map((p) => ({ id: p.id, name: format.personName(p.name), mrn: p.mrn })),
    ...unnamed.map((id) => ({ id, name: '—', mrn: '' })),
  ].sort((a, b) => Number(b.id === first) - Number(a.id === first));
  const more = rows.length - patientsShown;
  return (
    <Stack gap={4}>
      {rows.slice(0, patientsShown).map((p) => (
        <Stack gap={0} key={p.id}>
          <Text size="sm">
            {p.name}
            {p.mrn && (
              <Text span c="dimmed" size="sm">
                {' · '}
                <bdi className="identifier">{p.mrn}</bdi>
              </Text>
            )}
          </Text>
          <Text size="xs" c="dimmed">
            <bdi className="identifier">{p.id}</bdi>
          </Text>
        </Stack>
      ))}
      {more > 0 && (
        <Text size="xs" c="dimmed">
          {t('audit.morePatients', { count: more })}
        </Text>
      )}
    </Stack>
  );
}
