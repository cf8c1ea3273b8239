import { BSON, BSONError, type Document } from 'bson';
import { MAX_COMMAND_SIZE } from '../bson/bsonLimits.js';
import { bsonFault } from '../bson/validateBson.js';
import { crc32c } from './crc32c.js';
import { HEADER_SIZE, MsgFlag, OpCode } from './opcodes.js';
import { type DocumentSequence, ProtocolError, type WireRequest } from './WireTypes.js';

/** A request whose frame is sound but whose BSON is not; it is answered with an error. */
export class InvalidBsonError extends Error {
  override readonly name = 'InvalidBsonError';
  constructor(
    readonly requestId: number,
    readonly opCode: number,
    message: string,
  ) {
    super(message);
  }
}

const deserializeOptions = { promoteLongs: true, promoteValues: true, promoteBuffers: false } as const;

// Flag bits 0-15 are "required": an unknown one there means we cannot process the message.
const KNOWN_REQUIRED_FLAGS = MsgFlag.checksumPresent | MsgFlag.moreToCome;

function readBsonAt(frame: Buffer, at: number, end: number): Buffer {
  if (at + 5 > end) throw new ProtocolError('truncated BSON document');
  const size = frame.readInt32LE(at);
  if (size < 5 || at + size > end)
    throw new ProtocolError(`BSON document length ${size} exceeds the message`);
  if (size > MAX_COMMAND_SIZE)
    throw new ProtocolError(`BSON document of ${size} bytes exceeds the command limit`);
  return frame.subarray(at, at + size);
}

function deserialize(raw: Buffer, requestId: number, opCode: number): Document {
  try {
    return BSON.deserialize(raw, deserializeOptions);
  } catch (error) {
    // The bson library's own errors say what is wrong; anything else would leak a JavaScript message.
    const reason = BSONError.isBSONError(error) ? error.message : 'the document could not be decoded';
    throw new InvalidBsonError(requestId, opCode, `invalid BSON: ${reason}`);
  }
}

/** A sequence whose documents are decoded on first use: inserts store the bytes and never need them. */
function lazySequence(raws: Buffer[]): DocumentSequence {
  let docs: Document[] | undefined;
  return {
    raws,
    get docs() {
      docs ??= raws.map((raw) => BSON.deserialize(raw, deserializeOptions));
      return docs;
    },
  };
}

function dbFromBody(body: Document, fallback: string): string {
  return typeof body.$db === 'string' ? body.$db : fallback;
}

/** Decodes an OP_MSG or OP_QUERY frame. Throws ProtocolError (close) or InvalidBsonError (reply). */
export function decodeRequest(frame: Buffer): WireRequest {
  const requestId = frame.readInt32LE(4);
  const opCode = frame.readInt32LE(12);
  if (opCode === OpCode.OP_MSG) return decodeOpMsg(frame, requestId);
  if (opCode === OpCode.OP_QUERY) return decodeOpQuery(frame, requestId);
  throw new ProtocolError(`unsupported opcode ${opCode}`);
}

function decodeOpMsg(frame: Buffer, requestId: number): WireRequest {
  if (frame.length < HEADER_SIZE + 5) throw new ProtocolError('OP_MSG too short');
  const flags = frame.readUInt32LE(HEADER_SIZE);
  if ((flags & 0xffff & ~KNOWN_REQUIRED_FLAGS) !== 0) {
    throw new ProtocolError(`unknown required OP_MSG flag bits 0x${flags.toString(16)}`);
  }
  let end = frame.length;
  if (flags & MsgFlag.checksumPresent) {
    end -= 4;
    if (end < HEADER_SIZE + 4) throw new ProtocolError('OP_MSG too short for its checksum');
    const expected = frame.readUInt32LE(end);
    if (crc32c(frame.subarray(0, end)) !== expected) throw new ProtocolError('OP_MSG checksum mismatch');
  }
  let at = HEADER_SIZE + 4;
  let bodyRaw: Buffer | undefined;
  const rawSequences = new Map<string, Buffer[]>();
  while (at < end) {
    const kind = frame[at]!;
    at += 1;
    if (kind === 0) {
      if (bodyRaw) throw new ProtocolError('OP_MSG has more than one body section');
      bodyRaw = readBsonAt(frame, at, end);
      at += bodyRaw.length;
    } else if (kind === 1) {
      if (at + 4 > end) throw new ProtocolError('truncated document sequence');
      const size = frame.readInt32LE(at);
      const seqEnd = at + size;
      if (size < 5 || seqEnd > end) throw new ProtocolError('document sequence length exceeds the message');
      const nameEnd = frame.indexOf(0, at + 4);
      if (nameEnd < 0 || nameEnd >= seqEnd) throw new ProtocolError('document sequence without identifier');
      const identifier = frame.toString('utf8', at + 4, nameEnd);
      const raws: Buffer[] = [];
      let docAt = nameEnd + 1;
      while (docAt < seqEnd) {
        const raw = readBsonAt(frame, docAt, seqEnd);
        raws.push(raw);
        docAt += raw.length;
      }
      if (rawSequences.has(identifier)) throw new ProtocolError(`duplicate document sequence ${identifier}`);
      rawSequences.set(identifier, raws);
      at = seqEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!bodyRaw) throw new ProtocolError('OP_MSG without a body section');
  const body = deserialize(bodyRaw, requestId, OpCode.OP_MSG);
  const sequences = new Map<string, DocumentSequence>();
  for (const [identifier, raws] of rawSequences) {
    for (const raw of raws) {
      const fault = bsonFault(raw);
      if (fault) throw new InvalidBsonError(requestId, OpCode.OP_MSG, `invalid BSON: ${fault}`);
    }
    sequences.set(identifier, lazySequence(raws));
  }
  return {
    requestId,
    opCode: OpCode.OP_MSG,
    body,
    bodyRaw,
    sequences,
    db: dbFromBody(body, 'admin'),
    moreToCome: (flags & MsgFlag.moreToCome) !== 0,
  };
}

function decodeOpQuery(frame: Buffer, requestId: number): WireRequest {
  const nameStart = HEADER_SIZE + 4;
  const nameEnd = frame.indexOf(0, nameStart);
  if (nameEnd < 0) throw new ProtocolError('OP_QUERY without a collection name');
  const fullName = frame.toString('utf8', nameStart, nameEnd);
  const queryAt = nameEnd + 1 + 8;
  const queryRaw = readBsonAt(frame, queryAt, frame.length);
  let body = deserialize(queryRaw, requestId, OpCode.OP_QUERY);
  // Legacy clients wrap the command with read preference as {$query: {...}, $readPreference}.
  if (body.$query && typeof body.$query === 'object') body = body.$query as Document;
  const dot = fullName.indexOf('.');
  const db = dot > 0 ? fullName.slice(0, dot) : fullName;
  if (!fullName.endsWith('.$cmd')) {
    throw new InvalidBsonError(requestId, OpCode.OP_QUERY, 'OP_QUERY is only supported for commands');
  }
  return {
    requestId,
    opCode: OpCode.OP_QUERY,
    body,
    bodyRaw: queryRaw,
    sequences: new Map(),
    db,
    moreToCome: false,
  };
}

let nextResponseId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const head = Buffer.allocUnsafe(HEADER_SIZE);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(nextResponseId++ & 0x7fffffff, 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(opCode, 12);
  return head;
}

/** Frames a serialized reply document as OP_MSG (or OP_REPLY for an OP_QUERY request). */
export function encodeReply(requestOpCode: number, responseTo: number, body: Buffer): Buffer[] {
  if (requestOpCode === OpCode.OP_QUERY) {
    const prefix = Buffer.alloc(20);
    prefix.writeInt32LE(1, 16); // numberReturned; flags, cursorID and startingFrom stay 0
    return [header(HEADER_SIZE + 20 + body.length, responseTo, OpCode.OP_REPLY), prefix, body];
  }
  const prefix = Buffer.alloc(5); // flagBits 0, then section kind 0
  return [header(HEADER_SIZE + 5 + body.length, responseTo, OpCode.OP_MSG), prefix, body];
}
