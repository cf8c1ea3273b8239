import { type Document, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { serialize } from '../bson/serialize.js';
import { ErrorCode } from '../commands/errorCodes.js';
import { Collection } from '../storage/Collection.js';
import { type CatalogChange, type ChangeSink, nullSink } from '../storage/StorageTypes.js';
import { CollectionIndex } from './CollectionIndex.js';
import type { IndexSpec } from './IndexTypes.js';
import { entryKey } from './KeyEncoding.js';

function collectionOf(docs: Document[], sink: ChangeSink = nullSink): Collection {
  const coll = new Collection('db', 'patients', {}, () => sink);
  for (const doc of docs) coll.insert(doc);
  return coll;
}

/** The entries of index `name`, in order. */
function entriesOf(coll: Collection, name: string): string[] {
  return [...coll.indexes.get(name)!.tree.all()].map((entry) => entry.key);
}

/** The entries index `spec` must hold for what `coll` holds now: every document's keys, sorted. */
function builtAtOnce(coll: Collection, spec: IndexSpec): string[] {
  const index = new CollectionIndex(spec);
  const entries: string[] = [];
  for (const stored of coll.documents()) {
    for (const key of index.keysFor(stored.doc)) entries.push(entryKey(key.encoded, stored.key));
  }
  return entries.sort();
}

/** Runs `write` between the build's steps (each setImmediate turn) until `build` settles. */
async function writeDuring(build: Promise<void>, write: (turn: number) => void): Promise<number> {
  let done = false;
  const settled = build.finally(() => {
    done = true;
  });
  let turns = 0;
  while (!done) {
    write(turns++);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await settled;
  return turns;
}

const people = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    _id: new ObjectId(),
    mrn: `MRN-${i}`,
    clinic: i % 7,
    words: [`w${i % 13}`, `v${i % 17}`],
  }));

describe('IndexBuild (through Collection.buildIndexes)', () => {
  it('pauses between steps, and ends with the entries of a one-shot build despite writes meanwhile', async () => {
    const coll = collectionOf(people(60_000));
    const keys = [...coll.documents()].map((stored) => stored.key);
    const spec = { name: 'clinic_1_words_1', key: { clinic: 1, words: 1 } };
    const build = coll.buildIndexes([spec]);
    expect(coll.indexes.has(spec.name)).toBe(false);
    const turns = await writeDuring(build, (turn) => {
      // Inserts, updates moving a document between keys (some read already, some not yet), deletes.
      coll.insert({ _id: new ObjectId(), mrn: `NEW-${turn}`, clinic: turn % 7, words: [`n${turn}`] });
      const moved = coll.get(keys[(turn * 7919) % keys.length]!);
      if (moved) coll.replace(moved.key, { ...moved.doc, clinic: 100 + turn, words: ['moved'] });
      coll.delete(keys[(turn * 104_729 + 1) % keys.length]!);
    });
    // The build took many event-loop turns: other work ran between its steps.
    expect(turns).toBeGreaterThan(5);
    expect(coll.indexes.get(spec.name)!.multikey).toBe(true);
    expect(entriesOf(coll, spec.name)).toEqual(builtAtOnce(coll, spec));
  });

  it('builds several indexes in one pass over the documents, and journals each once it is ready', async () => {
    const changes: CatalogChange[] = [];
    const coll = collectionOf(people(5000), {
      ...nullSink,
      catalogChanged: (change) => changes.push(change),
    });
    const specs = [
      { name: 'mrn_1', key: { mrn: 1 }, unique: true },
      { name: 'clinic_-1', key: { clinic: -1 } },
    ];
    const build = coll.buildIndexes(specs);
    expect(changes).toEqual([]);
    await build;
    expect(changes.map((change) => change.op === 'createIndex' && change.spec.name)).toEqual([
      'mrn_1',
      'clinic_-1',
    ]);
    for (const spec of specs) expect(entriesOf(coll, spec.name)).toEqual(builtAtOnce(coll, spec));
  });

  it('keeps the index up to date from the moment it is installed', async () => {
    const coll = collectionOf(people(1000));
    await coll.buildIndexes([{ name: 'clinic_1', key: { clinic: 1 } }]);
    coll.insert({ _id: new ObjectId(), mrn: 'LATE', clinic: 3 });
    expect(entriesOf(coll, 'clinic_1')).toEqual(builtAtOnce(coll, { name: 'clinic_1', key: { clinic: 1 } }));
  });

  it('fails a unique index on a key two documents share, and installs nothing', async () => {
    const docs = people(20_000);
    docs[15_000]!.mrn = docs[3]!.mrn;
    const coll = collectionOf(docs);
    const error = await coll.buildIndexes([{ name: 'mrn_1', key: { mrn: 1 }, unique: true }]).catch((e) => e);
    expect(error).toMatchObject({ code: ErrorCode.DuplicateKey });
    expect(error.message).toContain('dup key: { mrn: "MRN-3" }');
    expect(coll.indexes.has('mrn_1')).toBe(false);
    expect(coll.indexBuilds.size).toBe(0);
  });

  it('fails a unique index on a duplicate written during the build', async () => {
    const coll = collectionOf(people(20_000));
    const build = coll.buildIndexes([{ name: 'mrn_1', key: { mrn: 1 }, unique: true }]);
    coll.insert({ _id: new ObjectId(), mrn: 'MRN-19999' });
    await expect(build).rejects.toMatchObject({ code: ErrorCode.DuplicateKey });
    expect(coll.indexes.has('mrn_1')).toBe(false);
  });

  it('succeeds when a duplicate is resolved during the build', async () => {
    const docs = people(20_000);
    docs[15_000]!.mrn = docs[3]!.mrn;
    const coll = collectionOf(docs);
    const build = coll.buildIndexes([{ name: 'mrn_1', key: { mrn: 1 }, unique: true }]);
    const duplicate = coll.get([...coll.documents()][15_000]!.key)!;
    coll.replace(duplicate.key, { ...duplicate.doc, mrn: 'MRN-fixed' });
    await build;
    expect(entriesOf(coll, 'mrn_1')).toEqual(builtAtOnce(coll, { name: 'mrn_1', key: { mrn: 1 } }));
  });

  it('stops when the index is dropped or the collection goes, and rejects with IndexBuildAborted', async () => {
    const coll = collectionOf(people(20_000));
    const build = coll.buildIndexes([{ name: 'clinic_1', key: { clinic: 1 } }]);
    coll.dropIndex('clinic_1');
    await expect(build).rejects.toMatchObject({ code: ErrorCode.IndexBuildAborted });
    const again = coll.buildIndexes([{ name: 'clinic_1', key: { clinic: 1 } }]);
    coll.abortIndexBuilds('collection dropped');
    await expect(again).rejects.toThrow('Index build aborted on db.patients: collection dropped');
    expect(coll.indexes.size).toBe(0);
  });

  it('rebuilds every index at once after recovery, and keeps a unique one holding a duplicate, naming it', () => {
    const coll = collectionOf([]);
    coll.createIndex({ name: 'mrn_1', key: { mrn: 1 }, unique: true });
    coll.createIndex({ name: 'clinic_1_words_1', key: { clinic: 1, words: 1 } });
    const docs = people(3000);
    for (const doc of docs) coll.restore(serialize(doc));
    expect(coll.rebuildIndexes()).toEqual([]);
    expect(entriesOf(coll, 'mrn_1')).toEqual(builtAtOnce(coll, { name: 'mrn_1', key: { mrn: 1 } }));
    const spec = { name: 'clinic_1_words_1', key: { clinic: 1, words: 1 } };
    expect(entriesOf(coll, spec.name)).toEqual(builtAtOnce(coll, spec));
    // A journal written before the index was unique may hold a key twice: recovery says so and loses nothing.
    coll.restore(serialize({ _id: new ObjectId(), mrn: 'MRN-7' }));
    const problems = coll.rebuildIndexes();
    expect(problems).toEqual([expect.stringContaining('dup key: { mrn: "MRN-7" }')]);
    expect(entriesOf(coll, 'mrn_1')).toHaveLength(3001);
  });

  it('fails on documents an index cannot hold (parallel arrays)', async () => {
    const coll = collectionOf([{ _id: 1, a: [1, 2], b: [3, 4] }]);
    await expect(coll.buildIndexes([{ name: 'a_1_b_1', key: { a: 1, b: 1 } }])).rejects.toMatchObject({
      code: ErrorCode.CannotIndexParallelArrays,
    });
    expect(coll.indexes.size).toBe(0);
  });
});
