import type { Document } from 'bson';
import { ErrorCode } from '../commands/errorCodes.js';
import { MongoCommandError } from '../commands/MongoCommandError.js';
import { runInSlices } from '../scheduling/runInSlices.js';
import { CollectionIndex } from './CollectionIndex.js';
import type { IndexSpec } from './IndexTypes.js';
import { entryEncodedKey, entryId, entryKey } from './KeyEncoding.js';
import { sortInSteps } from './sortInSteps.js';

/** Documents read between two pause points. */
const DOCS_PER_STEP = 256;

/** What a build reads of its collection. */
export interface IndexBuildSource {
  /** The collection's documents by key, live: changed during the build as writes arrive. */
  readonly docs: ReadonlyMap<string, Buffer>;
  /** The part of a stored document the indexes being built look at. */
  keyDoc(raw: Buffer): Document;
  /** The namespace, for error messages (a collection may be renamed meanwhile). */
  readonly ns: string;
}

/**
 * Builds new indexes over a collection's documents in the background, as MongoDB's hybrid index builds
 * do: the documents are read, their entries sorted and loaded in steps of a few milliseconds, so the
 * server goes on answering (a one-shot build over a million documents froze it for seconds; clients
 * timed out). Writes go on meanwhile: the collection reports each changed document (`changed`), the
 * build leaves those out as it reads, and indexes them as they are when it finishes (`install` runs in
 * that same step). A unique index fails on a key two documents hold at the end, not on the way.
 */
export class IndexBuild {
  readonly indexes: CollectionIndex[];
  readonly #source: IndexBuildSource;
  /** Each document changed since the build started, with its bytes before the first change (none: new). */
  readonly #changed = new Map<string, Buffer | undefined>();
  #abortedWith: Error | undefined;
  #finished: Promise<void> = Promise.resolve();

  private constructor(specs: IndexSpec[], source: IndexBuildSource) {
    this.indexes = specs.map((spec) => new CollectionIndex(spec));
    this.#source = source;
  }

  /**
   * Starts building `specs` in the background; `install` is called (synchronously, in the last step) with
   * the built indexes.
   */
  static start(
    specs: IndexSpec[],
    source: IndexBuildSource,
    install: (indexes: CollectionIndex[]) => void,
  ): IndexBuild {
    const build = new IndexBuild(specs, source);
    // From the next turn on: the caller registers the build (to be told of writes, or to drop it) first.
    build.#finished = new Promise((resolve) => setImmediate(resolve)).then(() =>
      runInSlices(build.#steps(install)),
    );
    return build;
  }

  /**
   * Builds `specs` at once and returns them, for recovery and catalog replay, before the server answers
   * anyone: the same steps without pauses. A key two documents share throws, or, given `onDuplicate`, is
   * reported there (the first per index) and the index is built with both entries.
   */
  static buildNow(
    specs: IndexSpec[],
    source: IndexBuildSource,
    onDuplicate?: (error: MongoCommandError) => void,
  ): CollectionIndex[] {
    const build = new IndexBuild(specs, source);
    const steps = build.#steps(() => {}, onDuplicate);
    while (!steps.next().done);
    return build.indexes;
  }

  /** Settles when the indexes are installed, or with the reason they are not. */
  get finished(): Promise<void> {
    return this.#finished;
  }

  /** Told before document `key` is inserted, replaced or deleted; `before` is its current bytes, if any. */
  changed(key: string, before: Buffer | undefined): void {
    if (!this.#changed.has(key)) this.#changed.set(key, before);
  }

  /** Stops the build at its next step; `finished` rejects with `error`. */
  abort(error: Error): void {
    this.#abortedWith ??= error;
  }

  *#steps(
    install: (indexes: CollectionIndex[]) => void,
    onDuplicate?: (error: MongoCommandError) => void,
  ): Generator<void> {
    const entries = this.indexes.map(() => [] as string[]);
    let read = 0;
    // Map iteration is live: documents inserted meanwhile come up too, and are skipped as changed.
    for (const [key, raw] of this.#source.docs) {
      if (this.#changed.has(key)) continue;
      const doc = this.#source.keyDoc(raw);
      this.indexes.forEach((index, i) => {
        const keys = index.keysFor(doc);
        if (keys.length > 1) index.multikey = true;
        for (const { encoded } of keys) entries[i]!.push(entryKey(encoded, key));
      });
      if (++read % DOCS_PER_STEP === 0) yield this.#checkAborted();
    }
    // Smallest first: loading an index allocates its chunks outside the heap, which makes V8 run major
    // collections, and each marks every entry string still waiting. The largest (a multikey index of tens of
    // millions) then goes last, with the others' strings gone and its own released as they are loaded.
    const bySize = [...this.indexes.entries()].sort(([a], [b]) => entries[a]!.length - entries[b]!.length);
    for (const [i, index] of bySize) {
      const sorted = yield* sortInSteps(entries[i]!);
      entries[i] = [];
      if (index.spec.unique) yield* this.#checkUnique(index, sorted, onDuplicate);
      yield* index.tree.loadSorted(sorted);
      this.#checkAborted();
    }
    // One step from here on: no write comes between bringing the changed documents in and installing.
    for (const [key, before] of this.#changed) {
      if (before) {
        const doc = this.#source.keyDoc(before);
        for (const index of this.indexes) index.remove(key, index.keysFor(doc));
      }
    }
    for (const key of this.#changed.keys()) {
      const raw = this.#source.docs.get(key);
      if (!raw) continue;
      const doc = this.#source.keyDoc(raw);
      for (const index of this.indexes) {
        const keys = index.keysFor(doc);
        const duplicate = index.conflict(key, keys);
        if (duplicate) throw index.duplicateKeyError(this.#source.ns, duplicate);
        index.add(key, keys);
      }
    }
    install(this.indexes);
  }

  /** The duplicate key error for the first key two unchanged documents share in `sorted`: thrown, or reported. */
  *#checkUnique(
    index: CollectionIndex,
    sorted: string[],
    onDuplicate: ((error: MongoCommandError) => void) | undefined,
  ): Generator<void> {
    let previous: string | undefined;
    for (let i = 0; i < sorted.length; i++) {
      const entry = sorted[i]!;
      const id = entryId(entry);
      // A changed document's entries are replaced at the end, where its new keys are checked.
      if (this.#changed.has(id)) continue;
      const encoded = entryEncodedKey(entry);
      if (encoded === previous) {
        const doc = this.#source.keyDoc(this.#source.docs.get(id)!);
        const key = index.keysFor(doc).find((k) => k.encoded === encoded)!;
        const error = index.duplicateKeyError(this.#source.ns, key.values);
        if (!onDuplicate) throw error;
        onDuplicate(error);
        return;
      }
      previous = encoded;
      if (i % 4096 === 0) yield this.#checkAborted();
    }
  }

  #checkAborted(): void {
    if (this.#abortedWith) throw this.#abortedWith;
  }
}

/** The error a build stopped by a drop ends with (MongoDB's IndexBuildAborted). */
export function indexBuildAborted(ns: string, why: string): MongoCommandError {
  return new MongoCommandError(ErrorCode.IndexBuildAborted, `Index build aborted on ${ns}: ${why}`);
}
