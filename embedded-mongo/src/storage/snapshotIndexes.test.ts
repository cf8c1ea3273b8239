import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deserialize, ObjectId } from 'bson';
import { afterEach, describe, expect, it } from 'vitest';
import { IndexBuild } from '../indexes/IndexBuild.js';
import type { IndexSpec } from '../indexes/IndexTypes.js';
import { seededRandom } from '../testing/seededRandom.js';
import { Catalog } from './Catalog.js';
import type { Collection } from './Collection.js';
import { Persistence } from './Persistence.js';
import { RecordType, readRecordFile } from './recordFile.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-snapidx-'));
  dirs.push(dir);
  return dir;
}

const specs: IndexSpec[] = [
  { name: 'code_1', key: { code: 1 }, unique: true },
  { name: 'tags_1', key: { tags: 1 } },
  { name: 'name_1_at_-1', key: { name: 1, at: -1 } },
  { name: 'opt_1', key: { opt: 1 }, sparse: true },
  { name: 'urgent_at', key: { at: 1 }, partialFilterExpression: { urgent: true } },
];

const names = ['محمد', 'أحمد', 'Mona', 'Ali', 'فاطمة', 'Omar'];
const randomInt = seededRandom(7);
let serial = 0;

function newDoc(): Record<string, unknown> {
  const n = serial++;
  return {
    _id: new ObjectId(),
    code: `c${n}`,
    tags: [`t${randomInt(40)}`, `u${randomInt(60)}`],
    // Arabic names make some chunks two bytes per character.
    name: `${names[n % names.length]} ${randomInt(1000)}`,
    at: new Date(1_700_000_000_000 + randomInt(1e9)),
    ...(n % 3 === 0 ? { opt: n } : {}),
    urgent: n % 4 === 0,
  };
}

/** Random inserts, replacements and deletes, as clients make them. */
function change(coll: Collection, count: number): void {
  for (let i = 0; i < count; i++) {
    const keys = [...coll.documents()].map((doc) => doc.key);
    const roll = randomInt(100);
    if (roll < 50 || keys.length === 0) coll.insert(newDoc());
    else if (roll < 80) {
      const key = keys[randomInt(keys.length)]!;
      const doc = coll.get(key)!.doc;
      coll.replace(key, { ...newDoc(), _id: doc._id, code: doc.code });
    } else coll.delete(keys[randomInt(keys.length)]!);
  }
}

/** Every index's entries, in order. */
function entriesOf(coll: Collection): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const index of coll.indexes.values())
    out[index.name] = [...index.tree.all()].map((entry) => entry.key);
  return out;
}

/** The entries a build from the collection's documents gives: what the indexes must hold. */
function rebuiltEntriesOf(coll: Collection): Record<string, string[]> {
  const docs = new Map([...coll.documents()].map((doc) => [doc.key, doc.raw] as const));
  const built = IndexBuild.buildNow(
    [...coll.indexes.values()].map((index) => index.spec),
    { docs, keyDoc: (raw) => deserialize(raw), ns: coll.ns },
  );
  const out: Record<string, string[]> = {};
  for (const index of built) out[index.name] = [...index.tree.all()].map((entry) => entry.key);
  return out;
}

/** A store whose snapshot holds `count` documents of a collection with `specs`, and their index entries. */
async function compactedStore(count: number) {
  const dir = tempDir();
  const catalog = new Catalog();
  const store = Persistence.open(catalog, { dir });
  const coll = catalog.getOrCreate('app', 'c');
  await coll.buildIndexes(specs);
  for (let i = 0; i < count; i++) coll.insert(newDoc());
  await store.compact();
  return { dir, store, coll };
}

describe('index entries in snapshots', () => {
  it('recovery loads every index as the snapshot took it, then applies the newer journal, equal to a rebuild', async () => {
    const dir = tempDir();
    const catalog = new Catalog();
    // Slow enough that the changes below land while the snapshot is being written.
    const store = Persistence.open(catalog, { dir, compactBytesPerSecond: 512 * 1024 });
    const coll = catalog.getOrCreate('app', 'c');
    await coll.buildIndexes(specs);
    for (let i = 0; i < 5000; i++) coll.insert(newDoc());
    const compaction = store.compact();
    const during = (async () => {
      // Changes while the snapshot is written go to copies of the chunks it holds, and to the new journal.
      for (let round = 0; round < 20; round++) {
        change(coll, 15);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await Promise.all([compaction, during]);
    // Less than a quarter of the snapshot: replayed into the loaded indexes rather than rebuilt.
    change(coll, 150);
    const expected = entriesOf(coll);
    expect(expected).toEqual(rebuiltEntriesOf(coll));
    await store.close();

    const snapshot = fs.readdirSync(dir).find((file) => file.startsWith('snapshot-'))!;
    const indexRecords = new Set<string>();
    readRecordFile(path.join(dir, snapshot), (record) => {
      if (record.type === RecordType.indexEntries)
        indexRecords.add(record.bson.toString('utf8', 0, record.bson.indexOf(0)));
    });
    expect([...indexRecords].sort()).toEqual(specs.map((spec) => spec.name).sort());

    const log: string[] = [];
    const recovered = new Catalog();
    const reopened = Persistence.open(recovered, { dir, log: (line) => log.push(line) });
    const again = recovered.get('app', 'c')!;
    expect(reopened.report.recordsReplayed).toBeGreaterThan(150);
    expect(reopened.report.indexesRebuilt).toBe(0);
    expect(entriesOf(again)).toEqual(expected);
    expect(again.indexes.get('tags_1')!.multikey).toBe(true);
    expect(log.filter((line) => line.startsWith('recovery'))).toEqual([]);
    // The loaded indexes go on taking changes.
    change(again, 200);
    expect(entriesOf(again)).toEqual(rebuiltEntriesOf(again));
    await reopened.close();
  });

  it('rebuilds the indexes instead when the journal to replay is over a quarter of the snapshot', async () => {
    const { dir, store, coll } = await compactedStore(400);
    const snapshotBytes = coll.dataBytes;
    while (coll.dataBytes < 1.4 * snapshotBytes) change(coll, 20);
    const expected = entriesOf(coll);
    await store.close();

    const log: string[] = [];
    const recovered = new Catalog();
    const reopened = Persistence.open(recovered, { dir, log: (line) => log.push(line) });
    expect(reopened.report.indexesRebuilt).toBe(1);
    expect(log).toEqual([
      expect.stringMatching(/^recovery: the journal \(\d+ bytes\) is over a 4th of the snapshot/),
    ]);
    expect(entriesOf(recovered.get('app', 'c')!)).toEqual(expected);
    await reopened.close();
  });

  it('rebuilds the indexes of a snapshot whose entries it cannot use', async () => {
    const { dir, store, coll } = await compactedStore(500);
    const expected = entriesOf(coll);
    await store.close();
    // An index added since the snapshot was taken: the journal builds it, and the others are rebuilt with it.
    const catalog2 = new Catalog();
    const store2 = Persistence.open(catalog2, { dir });
    await catalog2.get('app', 'c')!.buildIndexes([{ name: 'code_-1', key: { code: -1 } }]);
    await store2.close();

    const recovered = new Catalog();
    const reopened = Persistence.open(recovered, { dir });
    const again = recovered.get('app', 'c')!;
    expect(reopened.report.indexesRebuilt).toBe(1);
    const entries = entriesOf(again);
    expect(Object.keys(entries).sort()).toEqual([...specs.map((spec) => spec.name), 'code_-1'].sort());
    for (const spec of specs) expect(entries[spec.name]).toEqual(expected[spec.name]);
    expect(entries).toEqual(rebuiltEntriesOf(again));
    await reopened.close();
  });
});
