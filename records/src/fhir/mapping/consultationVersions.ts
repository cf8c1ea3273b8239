import type { ConsultationContent } from '@telemed/shared';
import type { ConsultationRecord } from './mappingInputs.js';

/** One signed state of a consultation's note: the signature, or an amendment with its reason. */
export interface SignedVersion {
  /** 1 for the signed note, 2 for the first amendment, and so on. */
  number: number;
  content: Partial<ConsultationContent>;
  at: Date;
  by: string;
  /** The amendment's reason; absent on the signature. */
  reason?: string | undefined;
}

/**
 * The signed versions of a consultation, oldest first. Each amendment kept the content it replaced
 * (`previous`), so version n's content is amendment n's `previous`, and the last version's is the current one.
 * A draft has none.
 */
export function signedVersions(consultation: ConsultationRecord): SignedVersion[] {
  if (consultation.status !== 'signed' || !consultation.signedAt || !consultation.signedBy) return [];
  const { amendments } = consultation;
  const versions: SignedVersion[] = [];
  for (let index = 0; index <= amendments.length; index++) {
    const content = index < amendments.length ? amendments[index]!.previous : consultation.content;
    const madeBy = index === 0 ? undefined : amendments[index - 1]!;
    versions.push({
      number: index + 1,
      content,
      at: madeBy?.at ?? consultation.signedAt,
      by: madeBy?.by ?? consultation.signedBy,
      ...(madeBy ? { reason: madeBy.reason } : {}),
    });
  }
  return versions;
}

/** A Composition's id for one version of a consultation's note (`v0` for a draft's preliminary note). */
export function compositionId(consultationId: string, versionNumber: number): string {
  return `${consultationId}-v${versionNumber}`;
}
