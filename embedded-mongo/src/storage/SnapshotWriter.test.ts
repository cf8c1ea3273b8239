import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BSON } from 'bson';
import { afterEach, describe, expect, it } from 'vitest';
import { batchDocuments, type FileRecord, RecordType, readRecordFile } from './recordFile.js';
import { SnapshotWriter } from './SnapshotWriter.js';

describe('SnapshotWriter', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes records and document blocks that read back whole and in order, up to the largest document', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-writer-'));
    dirs.push(dir);
    const file = path.join(dir, 'snapshot.snap');
    const small = Array.from({ length: 20_000 }, (_, i) =>
      Buffer.from(BSON.serialize({ _id: i, name: `p${i}` })),
    );
    // Documents larger than a block, than the write-out size, and close to BSON's 16 MiB limit.
    const large = [1.5, 5, 15.9].map((mib, i) =>
      Buffer.from(
        BSON.serialize({ _id: `big${i}`, data: Buffer.alloc(Math.floor(mib * 1024 * 1024), i + 1) }),
      ),
    );
    const docs = [...small.slice(0, 10_000), ...large, ...small.slice(10_000)];
    const writer = await SnapshotWriter.create(file);
    await writer.record(RecordType.header, '', Buffer.from(BSON.serialize({ magic: 'test' })));
    await writer.documents('db.patients', docs);
    await writer.record(RecordType.end, '', Buffer.from(BSON.serialize({ documents: docs.length })));
    const size = await writer.finish();
    expect(size).toBe(fs.statSync(file).size);

    const records: FileRecord[] = [];
    const result = readRecordFile(file, (record) => records.push(record));
    expect(result.torn).toBe(false);
    expect(records[0]!.type).toBe(RecordType.header);
    expect(records.at(-1)!.type).toBe(RecordType.end);
    const batches = records.slice(1, -1);
    expect(batches.every((r) => r.type === RecordType.insertBatch && r.ns === 'db.patients')).toBe(true);
    const read = batches.flatMap((r) => [...batchDocuments(r.bson)]);
    expect(read).toHaveLength(docs.length);
    read.forEach((raw, i) => {
      if (!raw.equals(docs[i]!)) throw new Error(`document ${i} differs`);
    });
  });
});
