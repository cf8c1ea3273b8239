import { type Document, Long } from 'bson';
import { MAX_BSON_OBJECT_SIZE } from '../bson/bsonLimits.js';
import { encodeCursorReply } from '../bson/cursorReply.js';
import { serialize } from '../bson/serialize.js';
import { StoredDocument } from '../storage/StoredDocument.js';
import { ErrorCode } from './errorCodes.js';
import { MongoCommandError } from './MongoCommandError.js';

/** A result: a built document, or a stored one sent as its bytes unless a projection applies. */
export type CursorItem = Document | StoredDocument;

interface OpenCursor {
  ns: string;
  docs: CursorItem[];
  position: number;
  transform: ((doc: Document) => Document) | undefined;
  lastUsed: number;
}

const DEFAULT_FIRST_BATCH = 101;
// Leave room for the reply envelope inside the 16 MiB document limit.
const BATCH_BYTES = MAX_BSON_OBJECT_SIZE - 64 * 1024;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Open cursors: results are materialized when the query runs (stored documents are
 * immutable, so they form a consistent snapshot) and served in batches by getMore.
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
    docs: CursorItem[],
    options: { batchSize?: number; singleBatch?: boolean; transform?: (doc: Document) => Document },
  ): Buffer {
    const cursor: OpenCursor = { ns, docs, position: 0, transform: options.transform, lastUsed: Date.now() };
    const batch = this.#nextBatch(cursor, options.batchSize ?? DEFAULT_FIRST_BATCH);
    let id = Long.ZERO;
    if (cursor.position < docs.length && !options.singleBatch) {
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
    if (cursor.position >= cursor.docs.length) {
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
    while (cursor.position < cursor.docs.length && out.length < limit) {
      const item = cursor.docs[cursor.position]!;
      let raw: Buffer;
      if (item instanceof StoredDocument)
        raw = cursor.transform ? serialize(cursor.transform(item.doc)) : item.raw;
      else raw = serialize(cursor.transform ? cursor.transform(item) : item);
      if (out.length > 0 && bytes + raw.length > BATCH_BYTES) break;
      out.push(raw);
      bytes += raw.length;
      cursor.position++;
    }
    return out;
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
