import { createHash } from 'node:crypto';
import type { Bundle, BundleEntry, BundleEntryRequest, Identifier, Resource } from '@medplum/fhirtypes';
import { businessIdentifierSystem } from './fhirSystems.js';

/**
 * A deterministic `urn:uuid:` for one of our resources (a name-based UUID, version 5 layout, over `Type/id`):
 * the same consultation gives the same bundle, byte for byte.
 */
export function fullUrlOf(resourceType: string, id: string): string {
  const bytes = createHash('sha1').update(`telemed:${resourceType}/${id}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * What stays as it was once written (a measurement, a chat message, a signed version of the note and its
 * Provenance) is created only if absent (`ifNoneExist`); what can change (the patient, the encounter, a
 * diagnosis, a referral…) is a conditional update, created the first time and updated after. Both key on our
 * business identifier, so a bundle sent twice creates nothing twice.
 */
export function isWrittenOnce(resource: Resource): boolean {
  switch (resource.resourceType) {
    case 'Observation':
    case 'Communication':
    case 'Provenance':
      return true;
    case 'Composition':
      return resource.status !== 'preliminary';
    default:
      return false;
  }
}

/** The search that finds a resource of ours on a receiving server: its business identifier, or a Provenance's tag. */
export function businessKeyQuery(resource: Resource): string {
  const ours = (identifier: Identifier | undefined) => identifier?.system?.startsWith('urn:telemed:id:');
  if (resource.resourceType === 'Provenance') {
    const tag = resource.meta?.tag?.find((t) => t.system === businessIdentifierSystem('provenance'));
    if (tag) return `_tag=${encodeURIComponent(`${tag.system}|${tag.code}`)}`;
  }
  const identifiers: Identifier[] =
    'identifier' in resource && resource.identifier
      ? Array.isArray(resource.identifier)
        ? resource.identifier
        : [resource.identifier as Identifier]
      : [];
  const key = identifiers.find(ours);
  if (!key) throw new Error(`${resource.resourceType}/${resource.id} has no business identifier of ours`);
  return `identifier=${encodeURIComponent(`${key.system}|${key.value}`)}`;
}

function requestFor(resource: Resource): BundleEntryRequest {
  const query = businessKeyQuery(resource);
  return isWrittenOnce(resource)
    ? { method: 'POST', url: resource.resourceType, ifNoneExist: query }
    : { method: 'PUT', url: `${resource.resourceType}?${query}` };
}

/**
 * A `transaction` Bundle of a consultation's resources for a receiving FHIR server. Each entry's fullUrl is a
 * `urn:uuid:`, and every reference `Type/id` to another entry is rewritten to it, so the server resolves them
 * to the ids it assigns; references to resources outside the bundle stay as they are. Ids are left out: the
 * receiver owns its ids, and the business identifiers carry ours.
 */
export function consultationTransactionBundle(resources: Resource[]): Bundle {
  const fullUrls = new Map(
    resources.map((r) => [`${r.resourceType}/${r.id}`, fullUrlOf(r.resourceType, r.id!)]),
  );
  const entry: BundleEntry[] = resources.map((resource) => {
    const { id: _ours, ...withoutId } = resource;
    return {
      fullUrl: fullUrls.get(`${resource.resourceType}/${resource.id}`)!,
      resource: rewriteReferences(withoutId, fullUrls) as Resource,
      request: requestFor(resource),
    };
  });
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

function rewriteReferences(value: unknown, fullUrls: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteReferences(item, fullUrls));
  if (!value || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    result[key] =
      key === 'reference' && typeof child === 'string' && fullUrls.has(child)
        ? fullUrls.get(child)
        : rewriteReferences(child, fullUrls);
  }
  return result;
}
