import { KeyChunk } from '../indexes/KeyChunk.js';

/*
 * The payload of a snapshot's indexEntries record: some of one index's entries, packed as its chunks
 * hold them, so that recovery loads an index instead of rebuilding it (decoding every document's keys and
 * sorting tens of millions of entries took minutes for a few million documents).
 *
 *   [index name, UTF-8][0][u8 multikey] then, per chunk: [u8 wide][u32 count][u32 code bytes]
 *   [count × i32 end offsets][code bytes]   (integers little-endian)
 */

/**
 * The version of this layout and of the entries' encoding (KeyEncoding.ts), kept in each snapshot's header:
 * a snapshot of another version has its indexes rebuilt. Bump it when either changes.
 */
export const INDEX_RECORD_FORMAT = 1;

/** Bytes of a chunk's part of a payload. */
export function chunkRecordBytes(chunk: KeyChunk): number {
  const { ends, codes } = chunk.packed();
  return 9 + 4 * ends.length + codes.length;
}

/** The payload's head: the index it is of. */
export function indexRecordHead(name: string, multikey: boolean): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const head = Buffer.alloc(nameBytes.length + 2);
  nameBytes.copy(head);
  head[nameBytes.length + 1] = multikey ? 1 : 0;
  return head;
}

/** Writes `chunk`'s part of a payload at `at` in `target` (there is room); returns the offset past it. */
export function writeChunkRecord(chunk: KeyChunk, target: Buffer, at: number): number {
  const { wide, ends, codes } = chunk.packed();
  let offset = at;
  target[offset++] = wide ? 1 : 0;
  offset = target.writeUInt32LE(ends.length, offset);
  offset = target.writeUInt32LE(codes.length, offset);
  for (let i = 0; i < ends.length; i++) offset = target.writeInt32LE(ends[i]!, offset);
  return offset + codes.copy(target, offset);
}

/** The index a payload is of, and its chunks (in memory of their own). Throws on a malformed payload. */
export function readIndexRecord(payload: Buffer): { name: string; multikey: boolean; chunks: KeyChunk[] } {
  const nameEnd = payload.indexOf(0);
  if (nameEnd < 0 || nameEnd + 2 > payload.length) throw new Error('an index record has no index name');
  const name = payload.toString('utf8', 0, nameEnd);
  const multikey = payload[nameEnd + 1] === 1;
  const chunks: KeyChunk[] = [];
  let at = nameEnd + 2;
  while (at < payload.length) {
    if (at + 9 > payload.length) throw new Error(`index record of ${name} ends inside a chunk`);
    const wide = payload[at] === 1;
    const count = payload.readUInt32LE(at + 1);
    const codeBytes = payload.readUInt32LE(at + 5);
    at += 9;
    const codesAt = at + 4 * count;
    if (codesAt + codeBytes > payload.length) throw new Error(`index record of ${name} ends inside a chunk`);
    const ends = new Int32Array(count);
    for (let i = 0; i < count; i++) ends[i] = payload.readInt32LE(at + 4 * i);
    const codeUnits = wide ? codeBytes >> 1 : codeBytes;
    if (count > 0 && ends[count - 1] !== codeUnits)
      throw new Error(`index record of ${name} has a chunk whose entries do not fill it`);
    chunks.push(KeyChunk.unpack(wide, ends, payload.subarray(codesAt, codesAt + codeBytes)));
    at = codesAt + codeBytes;
  }
  return { name, multikey, chunks };
}
