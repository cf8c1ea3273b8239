import type { Document } from 'bson';

/** A decoded request, whichever opcode carried it. */
export interface WireRequest {
  requestId: number;
  opCode: number;
  /** The command document (OP_MSG section 0, or the OP_QUERY query unwrapped from `$query`). */
  body: Document;
  /** The command's raw bytes, for zero-copy access to inserted documents. */
  bodyRaw: Buffer;
  /** OP_MSG kind-1 sections, by identifier. */
  sequences: Map<string, DocumentSequence>;
  /** Database the command targets. */
  db: string;
  /** The client wants no reply (OP_MSG moreToCome, i.e. w:0 writes). */
  moreToCome: boolean;
}

/** An OP_MSG kind-1 section: documents that stand for one array field of the command. */
export interface DocumentSequence {
  /** The documents decoded (on first access; the bytes were validated on arrival). */
  readonly docs: Document[];
  /** Each document's BSON bytes, slices of the received message. */
  readonly raws: Buffer[];
}

/** Raised for a frame that cannot be answered at all; the connection is closed. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}
