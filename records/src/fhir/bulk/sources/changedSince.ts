/**
 * The filter and order of a source's cursor. Without `_since`, every record in `_id` order. With it, the records
 * changed since, in `updatedAt` order: the `{ updatedAt: 1 }` index answers both the filter and the order, so
 * the store never sorts a large result in memory.
 */
export function changedSince(since: Date | undefined, field = 'updatedAt') {
  return since
    ? { filter: { [field]: { $gte: since } }, sort: { [field]: 1 } as Record<string, 1> }
    : { filter: {}, sort: { _id: 1 } as Record<string, 1> };
}

/** Records read from the store per round trip of a source's cursor. */
export const cursorBatchSize = 500;
