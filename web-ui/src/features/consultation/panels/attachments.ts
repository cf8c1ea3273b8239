import { useQuery } from '@tanstack/react-query';
import {
  type Attachment,
  allowedAttachmentTypes,
  maxAttachmentBytes,
  type RecordsUpload,
} from '@telemed/shared';
import { useEffect, useState } from 'react';
import type { CallClient } from '../../../call/CallClient.js';
import type { MessageKey } from '../../../i18n/catalog.js';
import type { MessageValues } from '../../../i18n/LocaleProvider.js';
import type { SessionClient } from '../../../session/SessionClient.js';

export type AttachmentContentType = (typeof allowedAttachmentTypes)[number];

export const maxAttachmentMegabytes = maxAttachmentBytes / (1024 * 1024);

/** Why records would refuse this file, said before it is sent; null when it may be uploaded. */
export function attachmentProblem(file: {
  type: string;
  size: number;
}): readonly [MessageKey, MessageValues?] | null {
  if (!(allowedAttachmentTypes as readonly string[]).includes(file.type)) {
    return ['panels.files.typeNotAllowed'];
  }
  if (file.size > maxAttachmentBytes) return ['panels.files.tooLarge', { max: maxAttachmentMegabytes }];
  return null;
}

export function isImage(attachment: Pick<Attachment, 'contentType'>): boolean {
  return attachment.contentType.startsWith('image/');
}

/**
 * Stores the file in records (the consultation's attachments), then tells the room what records holds, so the
 * other side sees it at once; answers the attachment as records stored it.
 */
export async function uploadAndAnnounce(
  session: SessionClient,
  call: Pick<CallClient, 'noticeAttachment'>,
  consultationId: string,
  upload: RecordsUpload,
): Promise<Attachment> {
  const attachment = await session.call('uploadAttachment', { params: { id: consultationId }, upload });
  await call.noticeAttachment(attachment.id);
  return attachment;
}

/** The attachment's bytes as a Blob (downloaded with the access token; an <img src> could not send it). */
export function useAttachmentBlob(
  session: SessionClient,
  consultationId: string,
  attachment: Pick<Attachment, 'id' | 'contentType'>,
  enabled = true,
) {
  return useQuery({
    // Kept apart from the records queries: attachments never change, so nothing needs to download them again.
    queryKey: ['attachment-bytes', consultationId, attachment.id],
    queryFn: async () => {
      const download = await session.call('downloadAttachment', {
        params: { id: consultationId, attachmentId: attachment.id },
      });
      return new Blob([download.bytes as Uint8Array<ArrayBuffer>], { type: attachment.contentType });
    },
    staleTime: Number.POSITIVE_INFINITY,
    enabled,
  });
}

/** A blob: URL of `blob` while the component is shown; revoked after, so the bytes can be freed. */
export function useObjectUrl(blob: Blob | undefined): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!blob) return;
    const created = URL.createObjectURL(blob);
    setUrl(created);
    return () => {
      URL.revokeObjectURL(created);
      setUrl(undefined);
    };
  }, [blob]);
  return url;
}
