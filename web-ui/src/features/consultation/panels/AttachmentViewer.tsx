import type { Attachment } from '@telemed/shared';
import { useSession } from '../../../session/SessionProvider.js';
import { useAttachmentBlob, useObjectUrl } from './attachments.js';
import { ImageViewer } from './ImageViewer.js';

/** An image attachment in the zoom-and-pan viewer, downloaded with the access token. */
export function AttachmentViewer({
  consultationId,
  attachment,
  onClose,
}: {
  consultationId: string;
  attachment: Attachment;
  onClose(): void;
}) {
  const { client } = useSession();
  const blob = useAttachmentBlob(client, consultationId, attachment);
  const url = useObjectUrl(blob.data);
  return <ImageViewer url={url} name={attachment.fileName} opened onClose={onClose} />;
}
