import type { Long } from 'bson';
import { serialize } from './serialize.js';

const CURSOR_FIELD = Buffer.from('\u0003cursor\0', 'latin1');
const OK_ELEMENT = Buffer.from([0x01, 0x6f, 0x6b, 0x00, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);

/**
 * Builds `{cursor: {<batchField>: [...], id, ns}, ok: 1}` around documents that are already
 * serialized, so a batch is serialized exactly once and its size is known while filling it.
 * Everything is written into one buffer: a find returning one stored document costs one copy.
 */
export function encodeCursorReply(batchField: string, docs: Buffer[], id: Long, ns: string): Buffer {
  const tail = serialize({ id, ns });
  const fieldNameBytes = Buffer.byteLength(batchField, 'utf8');
  let arraySize = 5;
  for (let i = 0; i < docs.length; i++) arraySize += 2 + String(i).length + docs[i]!.length;
  // cursor doc: size + array element + the elements of {id, ns} + terminator
  const cursorSize = 4 + (2 + fieldNameBytes) + arraySize + (tail.length - 5) + 1;
  const total = 4 + CURSOR_FIELD.length + cursorSize + OK_ELEMENT.length + 1;

  const out = Buffer.allocUnsafe(total);
  let at = out.writeInt32LE(total, 0);
  at += CURSOR_FIELD.copy(out, at);
  at = out.writeInt32LE(cursorSize, at);
  out[at++] = 0x04;
  at += out.write(batchField, at, 'utf8');
  out[at++] = 0;
  at = out.writeInt32LE(arraySize, at);
  for (let i = 0; i < docs.length; i++) {
    out[at++] = 0x03;
    at += out.write(String(i), at, 'latin1');
    out[at++] = 0;
    at += docs[i]!.copy(out, at);
  }
  out[at++] = 0;
  at += tail.copy(out, at, 4, tail.length - 1);
  out[at++] = 0;
  at += OK_ELEMENT.copy(out, at);
  out[at++] = 0;
  if (at !== total) throw new Error(`cursor reply size mismatch: ${at} != ${total}`);
  return out;
}
