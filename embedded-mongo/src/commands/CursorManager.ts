import { type Document, Long } from 'bson';
import { MAX_BSON_OBJECT_SIZE } from '../bson/bsonLimits.js';
import { encodeCursorReply } from '../bson/cursorReply.js';
import { serialize } from '../bson/serialize.js';
import { StoredDocument } from '../storage/StoredDocument.js';
import { ErrorCode } from './errorCodes.js';
import type { FindProjection } from './FindProjection.js';
import { MongoCommandError } from './MongoCommandError.js';

/** A result: a built document, or a stored one sent as its bytes unless a projection applies. */
export type CursorItem = Document | StoredDocument;

interface OpenCursor {
  ns: string;
  source: Iterator<CursorItem>;
  /** The next item, pulled ahead to know whether any remain or left over when a batch filled. */
  pending: CursorItem | undefined;
  projection: FindProjection | undefined;
  lastUsed: number;
}

const DEFAULT_FIRST_BATCH = 101;
// Leave room for the reply envelope inside the 16 MiB document limit.
const BATCH_BYTES = MAX_BSON_OBJECT_SIZE - 64 * 1024;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Open cursors: results are pulled from the query's iterator batch by batch, so a cursor
 * over a million documents holds only its position. Like MongoDB without snapshot reads,
 * a getMore sees writes made since the previous batch; each stored document it returns is
 * one consistent version (stored bytes are immutable).
 */
export class CursorManager {
  readonly #cursors = new Map<string, OpenCursor>();
  #timer: NodeJS.Timeout;

  constructor() {
    this.#timer = setInterval(() => this.#expire(), 60_000);
    this.#timer.unref();
  }

  get openCount(): number {
    return this.#cursors.size;
  }

  /** Builds the first batch reply; keeps a cursor open if documents remain. */
  open(
    ns: string,
    docs: Iterable<CursorItem>,
    options: { batchSize?: number; singleBatch?: boolean; projection?: FindProjection },
  ): Buffer {
    const source = docs[Symbol.iterator]();
    const cursor: OpenCursor = {
      ns,
      source,
      pending: undefined,
      projection: options.projection,
      lastUsed: Date.now(),
    };
    const batch = this.#nextBatch(cursor, options.batchSize ?? DEFAULT_FIRST_BATCH);
    let id = Long.ZERO;
    if (!options.singleBatch && this.#peek(cursor) !== undefined) {
      id = this.#newId();
      this.#cursors.set(id.toString(), cursor);
    }
    return encodeCursorReply('firstBatch', batch, id, ns);
  }

  getMore(id: Long, ns: string, batchSize: number | undefined): Buffer {
    const key = id.toString();
    const cursor = this.#cursors.get(key);
    if (!cursor) throw new MongoCommandError(ErrorCode.CursorNotFound, `cursor id ${key} not found`);
    if (cursor.ns !== ns) {
      throw new MongoCommandError(
        ErrorCode.Unauthorized,
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
      );
    }
    cursor.lastUsed = Date.now();
    const batch = this.#nextBatch(cursor, batchSize && batchSize > 0 ? batchSize : Number.MAX_SAFE_INTEGER);
    let replyId = id;
    if (this.#peek(cursor) === undefined) {
      this.#cursors.delete(key);
      replyId = Long.ZERO;
    }
    return encodeCursorReply('nextBatch', batch, replyId, ns);
  }

  /** Closes cursors; returns which ids were killed and which were unknown. */
  kill(ids: Long[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.#cursors.delete(id.toString()) ? killed : notFound).push(id);
    return { killed, notFound };
  }

  close(): void {
    clearInterval(this.#timer);
    this.#cursors.clear();
  }

  #nextBatch(cursor: OpenCursor, limit: number): Buffer[] {
    const out: Buffer[] = [];
    let bytes = 0;
    while (out.length < limit) {
      const item = this.#peek(cursor);
      if (item === undefined) break;
      let raw: Buffer;
      if (item instanceof StoredDocument)
        raw = cursor.projection ? cursor.projection.applyStored(item) : item.raw;
      else raw = serialize(cursor.projection ? cursor.projection.apply(item) : item);
      if (out.length > 0 && bytes + raw.length > BATCH_BYTES) break;
      out.push(raw);
      bytes += raw.length;
      cursor.pending = undefined;
    }
    return out;
  }

  #peek(cursor: OpenCursor): CursorItem | undefined {
    if (cursor.pending === undefined) {
      const next = cursor.source.next();
      if (!next.done) cursor.pending = next.value;
    }
    return cursor.pending;
  }

  #newId(): Long {
    for (;;) {
      const id = Long.fromBits((Math.random() * 0x100000000) | 0, (Math.random() * 0x7fffffff) | 0);
      if (!id.isZero() && !this.#cursors.has(id.toString())) return id;
    }
  }

  #expire(): void {
    const cutoff = Date.now() - IDLE_TIMEOUT_MS;
    for (const [key, cursor] of this.#cursors) if (cursor.lastUsed < cutoff) this.#cursors.delete(key);
  }
}
