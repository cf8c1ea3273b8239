import type { Long } from 'bson';
import { serialize } from './serialize.js';

/**
 * Builds `{cursor: {<batchField>: [...], id, ns}, ok: 1}` around documents that are already
 * serialized, so a batch is serialized exactly once and its size is known while filling it.
 */
export function encodeCursorReply(batchField: string, docs: Buffer[], id: Long, ns: string): Buffer {
  const tail = serialize({ id, ns });
  const parts: Buffer[] = [];
  let arraySize = 5;
  const keys: Buffer[] = [];
  for (let i = 0; i < docs.length; i++) {
    const key = Buffer.from(`\u0003${i}\0`, 'latin1');
    keys.push(key);
    arraySize += key.length + docs[i]!.length;
  }
  const fieldName = Buffer.from(`\u0004${batchField}\0`, 'utf8');
  // cursor doc: size + array element + the elements of {id, ns} + terminator
  const cursorSize = 4 + fieldName.length + arraySize + (tail.length - 5) + 1;
  const cursorHead = Buffer.from('\u0003cursor\0', 'latin1');
  const okElement = Buffer.from([0x01, 0x6f, 0x6b, 0x00, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
  const total = 4 + cursorHead.length + cursorSize + okElement.length + 1;

  const head = Buffer.allocUnsafe(4);
  head.writeInt32LE(total, 0);
  const cursorLen = Buffer.allocUnsafe(4);
  cursorLen.writeInt32LE(cursorSize, 0);
  const arrayLen = Buffer.allocUnsafe(4);
  arrayLen.writeInt32LE(arraySize, 0);
  parts.push(head, cursorHead, cursorLen, fieldName, arrayLen);
  for (let i = 0; i < docs.length; i++) parts.push(keys[i]!, docs[i]!);
  parts.push(
    Buffer.from([0]),
    tail.subarray(4, tail.length - 1),
    Buffer.from([0]),
    okElement,
    Buffer.from([0]),
  );
  return Buffer.concat(parts, total);
}
