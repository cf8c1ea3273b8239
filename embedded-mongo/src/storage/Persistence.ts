import fs from 'node:fs';
import path from 'node:path';
import { BSON } from 'bson';
import { rawIdKey } from '../bson/rawFields.js';
import { serialize } from '../bson/serialize.js';
import { OrderedIndex } from '../indexes/OrderedIndex.js';
import type { Catalog } from './Catalog.js';
import { splitNamespace } from './Catalog.js';
import { INDEX_RECORD_FORMAT, readIndexRecord } from './indexRecord.js';
import { type FlushObserver, Journal, syncDirectory } from './Journal.js';
import type { PersistenceOptions, RecoveryReport } from './PersistenceTypes.js';
import { batchDocuments, encodeRecord, type FileRecord, RecordType, readRecordFile } from './recordFile.js';
import { SnapshotWriter } from './SnapshotWriter.js';
import type { CatalogChange, ChangeSink } from './StorageTypes.js';

const LOCK_FILE = 'mongod.lock';
const SNAPSHOT_MAGIC = 'embedded-mongo-snapshot';
// UTF-8 was validated when the documents arrived; skipping it again speeds up recovery.
const deserializeOptions = {
  promoteLongs: true,
  promoteValues: true,
  promoteBuffers: false,
  validation: { utf8: false },
} as const;

/** Fewer changes a second than this over a check interval: the store is quiet, and compacts then. */
const QUIET_CHANGES_PER_SECOND = 20;
/** A quiet store compacts once its journal holds this fraction of the snapshot's document bytes. */
const QUIET_COMPACTION_FRACTION = 16;
/**
 * Recovery loads a snapshot's index entries unless the journal to replay is over this fraction of its document
 * bytes: a journal replayed into them costs ~0.4-0.5 s per MB, a rebuild ~0.14 s per MB of all the documents
 * (random inserts into indexes of millions against one sort; 2.1M documents here), so past a quarter a rebuild
 * of everything is the faster restart.
 */
const INDEXED_REPLAY_FRACTION = 4;
/** A busy store compacts anyway once its journal is this many times the threshold. */
const BUSY_COMPACTION_FACTOR = 2;

const journalName = (gen: number) => `journal-${String(gen).padStart(10, '0')}.log`;
/** Documents per snapshot record, in bytes (a record holds whole documents, so it may run over). */
const snapshotName = (gen: number) => `snapshot-${String(gen).padStart(10, '0')}.snap`;
const generationOf = (file: string, prefix: string, suffix: string): number | undefined => {
  if (!file.startsWith(prefix) || !file.endsWith(suffix)) return undefined;
  const n = Number(file.slice(prefix.length, file.length - suffix.length));
  return Number.isInteger(n) ? n : undefined;
};

/**
 * The durable store behind `--dbpath`: every change is journaled and fsync'ed before the
 * write is acknowledged; the journal is periodically compacted into a snapshot. Snapshot N
 * holds the state before journal N; recovery loads the newest complete snapshot and replays
 * the journals from its generation on, dropping a torn last record.
 */
export class Persistence implements ChangeSink {
  readonly #dir: string;
  readonly #catalog: Catalog;
  readonly #log: (line: string) => void;
  readonly #compactMinBytes: number;
  #journal!: Journal;
  #generation = 0;
  /** Bytes of the documents the last snapshot holds (not of its index entries): what compaction is weighed against. */
  #snapshotDocumentBytes = 0;
  /** Whether the snapshot being read holds index entries this version can load. */
  #indexEntriesUsable = false;
  #compaction: Promise<void> | undefined;
  readonly #compactBytesPerSecond: number;
  readonly #onFlushed: FlushObserver;
  /** The snapshot being written, if any. */
  #snapshot: SnapshotWriter | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #journalCommitIntervalMs: number;
  #commitTimer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Changes journaled since the last compaction check: how busy the store is. */
  #changes = 0;
  /** Filled by recovery. */
  report!: RecoveryReport;

  private constructor(catalog: Catalog, options: PersistenceOptions) {
    this.#dir = options.dir;
    this.#catalog = catalog;
    this.#log = options.log ?? (() => {});
    this.#compactMinBytes = options.compactMinBytes ?? 256 * 1024 * 1024;
    this.#compactBytesPerSecond = options.compactBytesPerSecond ?? 64 * 1024 * 1024;
    this.#journalCommitIntervalMs = options.journalCommitIntervalMs ?? 100;
    const slowFlushMs = options.slowFlushMs ?? 100;
    // Acknowledged writes wait for the flush: a slow disk shows here first.
    this.#onFlushed = (bytes, ms) => {
      if (ms > slowFlushMs) this.#log(`slow journal flush: ${bytes} bytes in ${ms.toFixed(0)} ms`);
    };
  }

  /** Locks the directory, recovers its data into `catalog`, and starts journaling. */
  static open(catalog: Catalog, options: PersistenceOptions): Persistence {
    const store = new Persistence(catalog, options);
    fs.mkdirSync(options.dir, { recursive: true });
    store.#lock();
    try {
      store.#recover();
    } catch (error) {
      store.#unlock();
      throw error;
    }
    catalog.sink = store;
    const interval = options.compactIntervalMs ?? 60_000;
    store.#timer = setInterval(() => {
      const quiet = (store.#changes * 1000) / interval < QUIET_CHANGES_PER_SECOND;
      store.#changes = 0;
      // A compaction takes CPU and the disk from the requests for seconds: it waits for a quiet spell
      // (commit() still compacts a busy store whose journal grew too long). A quiet store folds even a
      // small journal into the snapshot, but not for less than a sixteenth of the snapshot's documents:
      // rewriting 3 GB each minute for 4 MB of audit inserts costs far more than replaying them at restart
      // would, while a restart replays a journal into the loaded indexes at ~0.4-0.5 s per MB of audit events
      // (2.1M documents here), so a sixteenth keeps that under a minute.
      const floor = Math.max(
        Math.min(store.#compactMinBytes, 4 * 1024 * 1024),
        store.#snapshotDocumentBytes / QUIET_COMPACTION_FRACTION,
      );
      if (quiet && store.#journal.size > floor) void store.compact();
    }, interval);
    store.#timer.unref();
    return store;
  }

  get journalBytes(): number {
    return this.#journal.size;
  }

  get generation(): number {
    return this.#generation;
  }

  inserted(ns: string, raw: Buffer): void {
    this.#changes++;
    this.#journal.append(encodeRecord(RecordType.insert, ns, raw));
  }

  replaced(ns: string, raw: Buffer): void {
    this.#changes++;
    this.#journal.append(encodeRecord(RecordType.replace, ns, raw));
  }

  deleted(ns: string, idDoc: Buffer): void {
    this.#changes++;
    this.#journal.append(encodeRecord(RecordType.delete, ns, idDoc));
  }

  catalogChanged(change: CatalogChange): void {
    this.#journal.append(encodeRecord(RecordType.catalog, '', serialize(change)));
  }

  /**
   * Resolves once every change made so far is on disk; may start a compaction afterwards, when the journal
   * has grown to twice the threshold (the check timer compacts from the threshold on, in a quiet spell).
   */
  async commit(): Promise<void> {
    await this.#journal.sync();
    const threshold = Math.max(this.#compactMinBytes, this.#snapshotDocumentBytes);
    if (!this.#compaction && this.#journal.size > BUSY_COMPACTION_FACTOR * threshold) void this.compact();
  }

  /** Makes every change so far durable within the journal commit interval, without waiting for it. */
  commitSoon(): void {
    if (this.#commitTimer || this.#closed) return;
    this.#commitTimer = setTimeout(() => {
      this.#commitTimer = undefined;
      // A failed flush fails every later write too (the journal keeps the error), so logging it suffices here.
      this.commit().catch((error: Error) => this.#log(`journal flush failed: ${error.message}`));
    }, this.#journalCommitIntervalMs);
  }

  /** Writes a snapshot of the current state and drops the journals it covers. */
  compact(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#compaction ??= this.#compact()
      .catch((error: Error) => this.#log(`compaction failed: ${error.message}`))
      .finally(() => {
        this.#compaction = undefined;
      });
    return this.#compaction;
  }

  /** Flushes the journal, waits for a running compaction and releases the directory. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    // Closing the journal flushes what a pending commitSoon would have.
    clearTimeout(this.#commitTimer);
    this.#snapshot?.hurry();
    await this.#compaction;
    await this.#journal.close();
    this.#unlock();
  }

  async #compact(): Promise<void> {
    const started = Date.now();
    // Rotate and capture in the same tick: the snapshot is exactly the journals before the new one.
    // The new journal's first flush waits for the old one's last, so durability stays in order.
    const oldClosed = this.#journal.close();
    oldClosed.catch(() => {});
    const gen = this.#generation + 1;
    this.#journal = new Journal(path.join(this.#dir, journalName(gen)), {
      previous: oldClosed,
      created: true,
      onFlushed: this.#onFlushed,
    });
    this.#generation = gen;
    const collections = this.#catalog.allCollections().map((coll) => ({
      ns: coll.ns,
      options: coll.options,
      docs: coll.raws(),
      documentBytes: coll.dataBytes,
      // Taken in this tick too: the entries of exactly these documents.
      indexes: coll.freezeIndexes(),
    }));

    const documentBytes = collections.reduce((sum, coll) => sum + coll.documentBytes, 0);
    // Each index is thawed once written; a compaction that fails thaws what is left.
    const thawAll = () => {
      for (const coll of collections) for (const index of coll.indexes) OrderedIndex.thaw(index.chunks);
    };
    const finalPath = path.join(this.#dir, snapshotName(gen));
    const tmpPath = `${finalPath}.tmp`;
    let writer: SnapshotWriter;
    try {
      await oldClosed;
      writer = await SnapshotWriter.create(tmpPath, this.#closed ? undefined : this.#compactBytesPerSecond);
    } catch (error) {
      thawAll();
      throw error;
    }
    this.#snapshot = writer;
    let bytes: number;
    let count = 0;
    try {
      await writer.record(
        RecordType.header,
        '',
        serialize({ magic: SNAPSHOT_MAGIC, version: 1, generation: gen, indexFormat: INDEX_RECORD_FORMAT }),
      );
      for (const coll of collections) {
        await writer.record(
          RecordType.catalog,
          '',
          serialize({ op: 'createCollection', ns: coll.ns, options: coll.options }),
        );
        for (const { spec } of coll.indexes) {
          await writer.record(RecordType.catalog, '', serialize({ op: 'createIndex', ns: coll.ns, spec }));
        }
        // Stored bytes go to the snapshot as they are, about 1 MiB of documents to a record.
        await writer.documents(coll.ns, coll.docs);
        count += coll.docs.length;
        for (const index of coll.indexes) {
          await writer.indexEntries(coll.ns, index.spec.name, index.multikey, index.chunks);
          OrderedIndex.thaw(index.chunks);
        }
      }
      await writer.record(RecordType.end, '', serialize({ documents: count }));
      bytes = await writer.finish();
    } catch (error) {
      thawAll();
      await writer.abandon();
      await fs.promises.rm(tmpPath, { force: true });
      throw error;
    } finally {
      this.#snapshot = undefined;
    }
    // Off the event loop: with ext4's ordered journaling a directory sync waits for other files' data.
    await fs.promises.rename(tmpPath, finalPath);
    await syncDirectory(this.#dir);
    this.#snapshotDocumentBytes = documentBytes;
    await this.#removeOlderThan(gen);
    this.#log(
      `compacted ${count} documents into ${snapshotName(gen)} (${bytes} bytes) in ${Date.now() - started} ms`,
    );
  }

  /** Asynchronous: unlinking a journal of hundreds of megabytes takes tens of ms, which requests would wait. */
  async #removeOlderThan(gen: number): Promise<void> {
    for (const file of olderFiles(await fs.promises.readdir(this.#dir), gen)) {
      await fs.promises.rm(path.join(this.#dir, file));
    }
  }

  #recover(): void {
    const started = Date.now();
    const files = fs.readdirSync(this.#dir);
    for (const file of files) if (file.endsWith('.tmp')) fs.rmSync(path.join(this.#dir, file));
    const snapshots = files
      .map((f) => generationOf(f, 'snapshot-', '.snap'))
      .filter((g): g is number => g !== undefined)
      .sort((a, b) => b - a);
    const journals = files
      .map((f) => generationOf(f, 'journal-', '.log'))
      .filter((g): g is number => g !== undefined)
      .sort((a, b) => a - b);

    const sink = this.#catalog.sink;
    let snapshotGen = 0;
    const journalBytesFrom = (gen: number) =>
      journals
        .filter((journal) => journal >= gen)
        .reduce((sum, journal) => sum + fs.statSync(path.join(this.#dir, journalName(journal))).size, 0);
    for (const gen of snapshots) {
      if (this.#loadSnapshot(gen, journalBytesFrom(gen))) {
        snapshotGen = gen;
        break;
      }
      this.#log(`snapshot ${snapshotName(gen)} is incomplete; trying an older one`);
      for (const coll of this.#catalog.allCollections()) this.#catalog.drop(coll.db, coll.name);
    }
    let records = 0;
    let tornBytes = 0;
    const replay = journals.filter((gen) => gen >= snapshotGen);
    for (const gen of replay) {
      const file = path.join(this.#dir, journalName(gen));
      const result = readRecordFile(file, (record) => this.#applyRecord(record, true));
      records += result.records;
      if (result.torn) {
        // Only the tail of a journal can be torn (it was being written when the process died).
        const size = fs.statSync(file).size;
        tornBytes += size - result.validEnd;
        fs.truncateSync(file, result.validEnd);
        this.#log(
          `discarded a torn record of ${size - result.validEnd} bytes at the end of ${journalName(gen)}`,
        );
      }
    }
    let indexesRebuilt = 0;
    for (const coll of this.#catalog.allCollections()) {
      if (coll.indexesStale && coll.indexes.size > 0) indexesRebuilt++;
      for (const problem of coll.rebuildIndexes()) this.#log(`recovery: ${problem}`);
    }
    this.#catalog.sink = sink;
    this.#generation = Math.max(snapshotGen, ...journals);
    for (const file of olderFiles(fs.readdirSync(this.#dir), snapshotGen))
      fs.rmSync(path.join(this.#dir, file));
    // The journal syncs the directory before its first record counts, which makes these removals durable too.
    this.#journal = new Journal(path.join(this.#dir, journalName(this.#generation)), {
      created: true,
      onFlushed: this.#onFlushed,
    });
    let documents = 0;
    for (const coll of this.#catalog.allCollections()) documents += coll.size;
    this.report = {
      snapshotGeneration: snapshotGen,
      journalsReplayed: replay.length,
      recordsReplayed: records,
      tornBytes,
      documents,
      indexesRebuilt,
      ms: Date.now() - started,
    };
  }

  /** Loads snapshot `gen`, whose newer journals hold `journalBytes`; returns whether it was complete. */
  #loadSnapshot(gen: number, journalBytes: number): boolean {
    const file = path.join(this.#dir, snapshotName(gen));
    this.#indexEntriesUsable = false;
    let header = false;
    let ended = false;
    let count = 0;
    let expected = -1;
    let broken = false;
    let documentBytes = 0;
    readRecordFile(file, (record) => {
      if (record.type === RecordType.header) {
        const meta = BSON.deserialize(record.bson);
        header = meta.magic === SNAPSHOT_MAGIC;
        // Entries written in another format (an older version's) are left out: the indexes are rebuilt.
        this.#indexEntriesUsable = meta.indexFormat === INDEX_RECORD_FORMAT;
      } else if (record.type === RecordType.end) {
        ended = true;
        expected = Number(BSON.deserialize(record.bson).documents);
      } else if (record.type === RecordType.insertBatch) {
        documentBytes += record.bson.length;
        try {
          for (const raw of batchDocuments(record.bson)) {
            this.#applyRecord({ type: RecordType.insert, ns: record.ns, bson: raw }, false);
            count++;
          }
        } catch (error) {
          // A checksummed block that does not split into documents: treat the snapshot as unusable.
          this.#log(`snapshot ${snapshotName(gen)}: ${(error as Error).message}`);
          broken = true;
        }
      } else {
        if (record.type === RecordType.insert) {
          count++;
          documentBytes += record.bson.length;
        }
        this.#applyRecord(record, false);
      }
    });
    const complete = header && ended && !broken && count === expected;
    if (complete) {
      this.#snapshotDocumentBytes = documentBytes;
      let usable = this.#indexEntriesUsable;
      if (usable && journalBytes > documentBytes / INDEXED_REPLAY_FRACTION) {
        usable = false;
        this.#log(
          `recovery: the journal (${journalBytes} bytes) is over a ${INDEXED_REPLAY_FRACTION}th of the snapshot's documents; rebuilding the indexes is faster than replaying it into them`,
        );
      }
      for (const coll of this.#catalog.allCollections()) {
        const problem = coll.indexesRestored(usable);
        if (problem) this.#log(`recovery: ${problem}`);
      }
    }
    return complete;
  }

  #applyRecord(record: FileRecord, fromJournal: boolean): void {
    try {
      this.#applyRecordUnchecked(record, fromJournal);
    } catch (error) {
      this.#log(`skipped a journal record that no longer applies: ${(error as Error).message}`);
    }
  }

  /**
   * Applies one record as raw bytes: documents are stored without decoding and indexes are
   * rebuilt once at the end of recovery.
   */
  #applyRecordUnchecked(record: FileRecord, fromJournal: boolean): void {
    if (record.type === RecordType.catalog) {
      this.#catalog.apply(BSON.deserialize(record.bson, deserializeOptions) as CatalogChange);
      return;
    }
    const [db, name] = splitNamespace(record.ns);
    if (record.type === RecordType.indexEntries) {
      if (!this.#indexEntriesUsable) return;
      try {
        const entries = readIndexRecord(record.bson);
        this.#catalog.get(db, name)?.restoreIndexEntries(entries.name, entries.multikey, entries.chunks);
      } catch (error) {
        this.#indexEntriesUsable = false;
        this.#log(
          `snapshot index entries of ${record.ns} unreadable, rebuilding indexes: ${(error as Error).message}`,
        );
      }
      return;
    }
    if (record.type === RecordType.delete) {
      const coll = this.#catalog.get(db, name);
      if (fromJournal) coll?.replayDelete(rawIdKey(record.bson));
      else coll?.restoreDelete(rawIdKey(record.bson));
      return;
    }
    if (!fromJournal) {
      // Inserts and snapshot documents are kept as slices of the read buffer.
      this.#catalog.getOrCreate(db, name).restore(record.bson);
      return;
    }
    // Journaled updates are often superseded: copy them so a stale version does not pin a
    // whole 16 MiB read buffer.
    const raw = record.type === RecordType.replace ? Buffer.from(record.bson) : record.bson;
    this.#catalog.getOrCreate(db, name).replay(raw);
  }

  #lock(): void {
    const file = path.join(this.#dir, LOCK_FILE);
    try {
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new Error(`dbpath ${this.#dir} is in use by process ${pid}`);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    fs.writeFileSync(file, `${process.pid}\n`);
  }

  #unlock(): void {
    fs.rmSync(path.join(this.#dir, LOCK_FILE), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Journals and snapshots of generations before `gen`. */
function olderFiles(files: string[], gen: number): string[] {
  return files.filter((file) => {
    const j = generationOf(file, 'journal-', '.log');
    const s = generationOf(file, 'snapshot-', '.snap');
    return (j !== undefined && j < gen) || (s !== undefined && s < gen);
  });
}
