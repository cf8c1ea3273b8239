import { type Document, Long } from 'bson';
import { MAX_BSON_OBJECT_SIZE } from '../bson/bsonLimits.js';
import { encodeCursorReply } from '../bson/cursorReply.js';
import { serialize } from '../bson/serialize.js';
import { SliceClock } from '../scheduling/SliceClock.js';
import { StoredDocument } from '../storage/StoredDocument.js';
import { ErrorCode } from './errorCodes.js';
import type { FindProjection } from './FindProjection.js';
import { MongoCommandError } from './MongoCommandError.js';
import { PAUSE, type Pause } from './queryEngine.js';

/** A result: a built document, or a stored one sent as its bytes unless a projection applies. */
export type CursorItem = Document | StoredDocument;

interface OpenCursor {
  ns: string;
  /** With pause points (see PAUSE), where a batch may let other clients be served. */
  source: Iterator<CursorItem | Pause>;
  /** A batch is being filled (across event-loop turns): another getMore must wait its turn. */
  busy: boolean;
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

  /**
   * Builds the first batch reply; keeps a cursor open if documents may remain. A batch whose query reads
   * long without finding anything lets other clients be served at its pause points, as mongod yields.
   */
  async open(
    ns: string,
    docs: Iterable<CursorItem | Pause>,
    options: { batchSize?: number; singleBatch?: boolean; projection?: FindProjection },
  ): Promise<Buffer> {
    const source = docs[Symbol.iterator]();
    const cursor: OpenCursor = {
      ns,
      source,
      busy: true,
      pending: undefined,
      projection: options.projection,
      lastUsed: Date.now(),
    };
    const batch = await this.#nextBatch(cursor, options.batchSize ?? DEFAULT_FIRST_BATCH, 'find command');
    cursor.busy = false;
    let id = Long.ZERO;
    // At a pause nothing is known yet: the cursor stays open, and a later getMore may find it empty.
    if (!options.singleBatch && this.#peek(cursor) !== undefined) {
      id = this.#newId();
      this.#cursors.set(id.toString(), cursor);
    }
    return encodeCursorReply('firstBatch', batch, id, ns);
  }

  async getMore(id: Long, ns: string, batchSize: number | undefined): Promise<Buffer> {
    const key = id.toString();
    const cursor = this.#cursors.get(key);
    if (!cursor) throw new MongoCommandError(ErrorCode.CursorNotFound, `cursor id ${key} not found`);
    if (cursor.ns !== ns) {
      throw new MongoCommandError(
        ErrorCode.Unauthorized,
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
      );
    }
    if (cursor.busy) {
      throw new MongoCommandError(ErrorCode.OperationFailed, `cursor id ${key} is already in use`);
    }
    cursor.lastUsed = Date.now();
    cursor.busy = true;
    let batch: Buffer[];
    try {
      batch = await this.#nextBatch(
        cursor,
        batchSize && batchSize > 0 ? batchSize : Number.MAX_SAFE_INTEGER,
        'getMore',
      );
    } finally {
      cursor.busy = false;
    }
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

  async #nextBatch(cursor: OpenCursor, limit: number, operation: string): Promise<Buffer[]> {
    const out: Buffer[] = [];
    let bytes = 0;
    const clock = new SliceClock();
    while (out.length < limit) {
      const item = this.#peek(cursor);
      if (item === undefined) break;
      if (item === PAUSE) {
        if (clock.due) await clock.nextSlice();
        continue;
      }
      const raw = cursor.projection ? projected(cursor.projection, item, operation) : unprojected(item);
      if (out.length > 0 && bytes + raw.length > BATCH_BYTES) break;
      out.push(raw);
      bytes += raw.length;
      cursor.pending = undefined;
    }
    return out;
  }

  /** The next item (kept as pending), PAUSE when the source paused before finding one, or undefined at the end. */
  #peek(cursor: OpenCursor): CursorItem | Pause | undefined {
    if (cursor.pending === undefined) {
      const next = cursor.source.next();
      if (next.done) return undefined;
      if (next.value === PAUSE) return PAUSE;
      cursor.pending = next.value;
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

function unprojected(item: CursorItem): Buffer {
  return item instanceof StoredDocument ? item.raw : serialize(item);
}

/** The projected item; a projection's error (the positional `a.$`) reads as mongod's, naming the command. */
function projected(projection: FindProjection, item: CursorItem, operation: string): Buffer {
  try {
    return item instanceof StoredDocument ? projection.applyStored(item) : serialize(projection.apply(item));
  } catch (error) {
    throw MongoCommandError.from(error).causing(`Executor error during ${operation}`);
  }
}
