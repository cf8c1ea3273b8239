import fs from 'node:fs';
import zlib from 'node:zlib';

/**
 * Framing shared by the journal and snapshots: `[u32 length][u32 crc32][payload]`, with
 * payload `[u8 type][namespace]\0[BSON]`. A record whose length or checksum does not hold
 * marks the end of the valid data (a torn write after a crash).
 */

export const RecordType = {
  insert: 0x69, // 'i'
  /** Snapshots only: many documents of one collection, their BSON back to back, under one checksum. */
  insertBatch: 0x49, // 'I'
  /** Snapshots only: entries of one index, packed as its chunks hold them (see indexRecord.ts). */
  indexEntries: 0x78, // 'x'
  replace: 0x72, // 'r'
  delete: 0x64, // 'd'
  catalog: 0x63, // 'c'
  header: 0x68, // 'h'
  end: 0x65, // 'e'
} as const;

export interface FileRecord {
  type: number;
  ns: string;
  bson: Buffer;
}

const MAX_RECORD = 64 * 1024 * 1024;

/** Encodes one record as buffers ready to be written. */
export function encodeRecord(type: number, ns: string, bson: Buffer): Buffer[] {
  const nsBytes = Buffer.byteLength(ns);
  const head = Buffer.allocUnsafe(8 + 1 + nsBytes + 1);
  head[8] = type;
  head.write(ns, 9, 'utf8');
  head[9 + nsBytes] = 0;
  const prefix = head.subarray(8);
  head.writeUInt32LE(prefix.length + bson.length, 0);
  head.writeUInt32LE(zlib.crc32(bson, zlib.crc32(prefix)), 4);
  return [head, bson];
}

/** The documents of an insertBatch payload, as slices of it. */
export function* batchDocuments(bson: Buffer): Generator<Buffer> {
  let at = 0;
  while (at + 5 <= bson.length) {
    const size = bson.readInt32LE(at);
    if (size < 5 || at + size > bson.length)
      throw new Error(`a batch record holds a bad document length ${size}`);
    yield bson.subarray(at, at + size);
    at += size;
  }
  if (at !== bson.length) throw new Error('a batch record ends inside a document');
}

export interface ReadResult {
  /** Offset just past the last valid record. */
  validEnd: number;
  /** Whether bytes after `validEnd` exist (a torn or corrupt tail). */
  torn: boolean;
  records: number;
}

const CHUNK = 16 * 1024 * 1024;

/**
 * Reads every valid record of a file in order, in bounded memory. A record's `bson` stays
 * valid after the callback (buffers are never reused), so it can be stored as is.
 */
export function readRecordFile(path: string, onRecord: (record: FileRecord) => void): ReadResult {
  const fd = fs.openSync(path, 'r');
  try {
    const fileSize = fs.fstatSync(fd).size;
    let buf = Buffer.allocUnsafe(0);
    let bufStart = 0; // file offset of buf[0]
    let bufLen = 0;
    let at = 0; // file offset of the next record
    let records = 0;
    const fill = (need: number): boolean => {
      // Ensures buf holds file bytes [at, at+need); returns false at end of file.
      if (at + need > fileSize) return false;
      if (at + need <= bufStart + bufLen) return true;
      const keep = bufStart + bufLen - at;
      // A fresh buffer each time: records handed out earlier may still be referenced.
      const next = Buffer.allocUnsafe(Math.min(Math.max(need, CHUNK), fileSize - at));
      buf.copy(next, 0, at - bufStart, at - bufStart + keep);
      buf = next;
      bufStart = at;
      bufLen = keep;
      while (bufLen < buf.length && bufStart + bufLen < fileSize) {
        const n = fs.readSync(fd, buf, bufLen, buf.length - bufLen, bufStart + bufLen);
        if (n === 0) break;
        bufLen += n;
      }
      return at + need <= bufStart + bufLen;
    };
    while (fill(8)) {
      const off = at - bufStart;
      const length = buf.readUInt32LE(off);
      const crc = buf.readUInt32LE(off + 4);
      if (length < 2 || length > MAX_RECORD || !fill(8 + length)) break;
      const p = at - bufStart + 8;
      const payload = buf.subarray(p, p + length);
      if (zlib.crc32(payload) !== crc) break;
      const nsEnd = payload.indexOf(0, 1);
      if (nsEnd < 0) break;
      onRecord({
        type: payload[0]!,
        ns: payload.toString('utf8', 1, nsEnd),
        bson: payload.subarray(nsEnd + 1),
      });
      records++;
      at += 8 + length;
    }
    return { validEnd: at, torn: at < fileSize, records };
  } finally {
    fs.closeSync(fd);
  }
}
