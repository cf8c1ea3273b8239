import {
  Alert,
  Button,
  FileButton,
  Group,
  Image,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type Attachment, allowedAttachmentTypes } from '@telemed/shared';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { useCall } from '../../../call/CallProvider.js';
import { useT } from '../../../i18n/LocaleProvider.js';
import { useSession } from '../../../session/SessionProvider.js';
import { AttachmentViewer } from './AttachmentViewer.js';
import {
  attachmentProblem,
  isImage,
  uploadAndAnnounce,
  useAttachmentBlob,
  useObjectUrl,
} from './attachments.js';
import { addLiveItem } from './liveConsultation.js';

/** The consultation's images and PDFs: either side attaches one, and the other sees it at once. */
export function FilesPanel({
  consultationId,
  attachments,
}: {
  consultationId: string;
  attachments: Attachment[];
}) {
  const t = useT();
  const [viewing, setViewing] = useState<Attachment | null>(null);
  const newestFirst = [...attachments].sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt));
  return (
    <Stack gap="sm">
      <AttachForm consultationId={consultationId} />
      {newestFirst.length === 0 ? (
        <Text c="dimmed">{t('panels.files.none')}</Text>
      ) : (
        <SimpleGrid cols={2} spacing="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {newestFirst.map((attachment) => (
            <li key={attachment.id}>
              <AttachmentTile consultationId={consultationId} attachment={attachment} onView={setViewing} />
            </li>
          ))}
        </SimpleGrid>
      )}
      {viewing && (
        <AttachmentViewer
          consultationId={consultationId}
          attachment={viewing}
          onClose={() => setViewing(null)}
        />
      )}
    </Stack>
  );
}

function AttachForm({ consultationId }: { consultationId: string }) {
  const t = useT();
  const call = useCall();
  const { client } = useSession();
  const queryClient = useQueryClient();
  const [uploading, setUploading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const attach = async (file: File | null) => {
    if (!file) return;
    setFailure(null);
    const problem = attachmentProblem(file);
    if (problem) {
      setFailure(t(problem[0], problem[1]));
      return;
    }
    setUploading(true);
    try {
      const attachment = await uploadAndAnnounce(client, call, consultationId, {
        contentType: file.type,
        // The bytes rather than the File: any fetch sends an ArrayBuffer (jsdom's File is not the platform's Blob).
        bytes: await file.arrayBuffer(),
        fileName: file.name,
      });
      addLiveItem(queryClient, consultationId, { list: 'attachments', item: attachment });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setUploading(false);
    }
  };

  return (
    <Stack gap="xs">
      <FileButton onChange={attach} accept={allowedAttachmentTypes.join(',')}>
        {(props) => (
          <Button {...props} variant="light" loading={uploading}>
            {t('panels.files.attach')}
          </Button>
        )}
      </FileButton>
      {failure && (
        <Alert color="red" role="alert" p="xs">
          {failure}
        </Alert>
      )}
    </Stack>
  );
}

function AttachmentTile({
  consultationId,
  attachment,
  onView,
}: {
  consultationId: string;
  attachment: Attachment;
  onView(attachment: Attachment): void;
}) {
  const t = useT();
  const intl = useIntl();
  const { client } = useSession();
  const image = isImage(attachment);
  // Thumbnails are the images themselves, downloaded once with the token; a PDF is downloaded when opened.
  const blob = useAttachmentBlob(client, consultationId, attachment, image);
  const url = useObjectUrl(blob.data);
  const size = t('panels.files.size', {
    kb: intl.formatNumber(Math.max(1, Math.round(attachment.size / 1024))),
  });

  const openPdf = async () => {
    // Opened now, while the click still counts as the person's, and pointed at the file once it is here.
    const tab = window.open('', '_blank');
    const pdf = await blob.refetch();
    if (pdf.data && tab) tab.location.href = URL.createObjectURL(pdf.data);
  };

  return (
    <Paper withBorder p={4} h="100%">
      <UnstyledButton
        w="100%"
        aria-label={t(image ? 'panels.files.view' : 'panels.files.open', { name: attachment.fileName })}
        onClick={image ? () => onView(attachment) : openPdf}
      >
        <Stack gap={4} align="center">
          {image ? (
            url ? (
              <Image src={url} alt="" h={96} w="100%" fit="cover" radius="sm" />
            ) : (
              <Group h={96} justify="center">
                <Loader size="sm" />
              </Group>
            )
          ) : (
            <Group h={96} justify="center">
              <Text fw={700} size="xl" c="red.8" aria-hidden="true">
                PDF
              </Text>
            </Group>
          )}
          <Text size="xs" dir="auto" lineClamp={1} style={{ overflowWrap: 'anywhere' }}>
            {attachment.fileName}
          </Text>
          <Text size="xs" c="dimmed">
            {size}
          </Text>
        </Stack>
      </UnstyledButton>
    </Paper>
  );
}
