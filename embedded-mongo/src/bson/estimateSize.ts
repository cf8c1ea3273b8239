import { BSON, type Document } from 'bson';

/** Approximate BSON bytes of many documents from a sample, for dbStats/collStats/listDatabases. */
export function estimateSize(docs: Iterable<Document>, count: number, sample = 64): number {
  let sampled = 0;
  let bytes = 0;
  for (const doc of docs) {
    if (sampled >= sample) break;
    bytes += BSON.calculateObjectSize(doc);
    sampled++;
  }
  return sampled === 0 ? 0 : Math.round((bytes / sampled) * count);
}
