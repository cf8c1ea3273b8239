import { Anchor, Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import type { Attachment, Consultation } from '@telemed/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { useT } from '../../i18n/LocaleProvider.js';
import { useSession } from '../../session/SessionProvider.js';
import { notePath } from '../consultation/call/consultationPath.js';
import { AttachmentViewer } from '../consultation/panels/AttachmentViewer.js';
import { isImage, useAttachmentBlob, useObjectUrl } from '../consultation/panels/attachments.js';
import { useFormatters } from '../formatting.js';
import { PageSection } from '../PageSection.js';

/**
 * The patient's past consultations, newest first: when, signed or draft, the diagnoses with their ICD-10 codes,
 * the plan, a link to the signed note (its print form), and the attachments to open.
 */
export function PatientConsultations({ consultations }: { consultations: readonly Consultation[] }) {
  const t = useT();
  const format = useFormatters();
  const [viewing, setViewing] = useState<{ consultationId: string; attachment: Attachment } | null>(null);
  const sorted = [...consultations].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <PageSection headingId="consultations-heading" title={t('history.consultations')}>
      {sorted.length === 0 && <Text c="dimmed">{t('history.noConsultations')}</Text>}
      <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {sorted.map((c) => (
          <Card component="li" key={c.id} withBorder padding="sm">
            <Group justify="space-between" gap="xs" mb={4}>
              <Text fw={500}>{format.dateTime(c.signedAt ?? c.createdAt)}</Text>
              <Badge color={c.status === 'signed' ? 'blue' : 'gray'} variant="light">
                {t(c.status === 'signed' ? 'history.signed' : 'history.draft')}
              </Badge>
            </Group>
            {(c.content.diagnoses ?? []).length > 0 && (
              <Stack gap={2} mb={4}>
                {(c.content.diagnoses ?? []).map((d) => (
                  <Text key={`${d.code}-${d.text}`} size="sm">
                    <bdi className="identifier">{d.code}</bdi> <span dir="auto">{d.text}</span>
                  </Text>
                ))}
              </Stack>
            )}
            {c.content.plan && (
              <Text size="sm" c="dimmed" dir="auto" lineClamp={3} style={{ unicodeBidi: 'plaintext' }}>
                {c.content.plan}
              </Text>
            )}
            <Group gap="xs" mt="xs" wrap="wrap">
              {c.status === 'signed' && (
                <Button component={Link} to={notePath(c.appointmentId)} size="compact-sm" variant="light">
                  {t('history.openNote')}
                </Button>
              )}
              {c.attachments.map((a) =>
                isImage(a) ? (
                  <Button
                    key={a.id}
                    size="compact-sm"
                    variant="subtle"
                    onClick={() => setViewing({ consultationId: c.id, attachment: a })}
                    aria-label={t('history.openAttachment', { name: a.fileName })}
                  >
                    <bdi>{a.fileName}</bdi>
                  </Button>
                ) : (
                  <PdfLink key={a.id} consultationId={c.id} attachment={a} />
                ),
              )}
            </Group>
          </Card>
        ))}
      </Stack>
      {viewing && (
        <AttachmentViewer
          consultationId={viewing.consultationId}
          attachment={viewing.attachment}
          onClose={() => setViewing(null)}
        />
      )}
    </PageSection>
  );
}

/** A document is downloaded with the access token on demand, then opened as a link to its bytes. */
function PdfLink({ consultationId, attachment }: { consultationId: string; attachment: Attachment }) {
  const t = useT();
  const { client } = useSession();
  const [wanted, setWanted] = useState(false);
  const blob = useAttachmentBlob(client, consultationId, attachment, wanted);
  const url = useObjectUrl(blob.data);
  if (url) {
    return (
      <Anchor href={url} target="_blank" rel="noopener" download={attachment.fileName} size="sm">
        <bdi>{attachment.fileName}</bdi>
      </Anchor>
    );
  }
  return (
    <Button
      size="compact-sm"
      variant="subtle"
      loading={blob.isFetching}
      onClick={() => setWanted(true)}
      aria-label={t('history.openAttachment', { name: attachment.fileName })}
    >
      <bdi>{attachment.fileName}</bdi>
    </Button>
  );
}
