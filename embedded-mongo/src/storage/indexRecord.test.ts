import { describe, expect, it } from 'vitest';
import { KeyChunk } from '../indexes/KeyChunk.js';
import { chunkRecordBytes, indexRecordHead, readIndexRecord, writeChunkRecord } from './indexRecord.js';

function payloadOf(name: string, multikey: boolean, chunks: KeyChunk[]): Buffer {
  const head = indexRecordHead(name, multikey);
  const payload = Buffer.alloc(head.length + chunks.reduce((sum, chunk) => sum + chunkRecordBytes(chunk), 0));
  head.copy(payload);
  let at = head.length;
  for (const chunk of chunks) at = writeChunkRecord(chunk, payload, at);
  expect(at).toBe(payload.length);
  return payload;
}

const entriesOf = (chunk: KeyChunk) => Array.from({ length: chunk.length }, (_, i) => chunk.at(i));

describe('index entry records', () => {
  it('give back the chunks written, one byte or two per character, ready to take changes', () => {
    const latin = new KeyChunk(['\u0002a\u0000id1', '\u0002b\u0000id2', '\u0002c\u0000id3']);
    const arabic = new KeyChunk(['\u0002محمد\u0000id4', '\u0002منى\u0000id5']);
    const read = readIndexRecord(payloadOf('name_1', true, [latin, arabic]));
    expect(read.name).toBe('name_1');
    expect(read.multikey).toBe(true);
    expect(read.chunks.map(entriesOf)).toEqual([entriesOf(latin), entriesOf(arabic)]);
    read.chunks[1]!.insertAt(1, '\u0002مريم\u0000id6');
    expect(entriesOf(read.chunks[1]!)).toEqual([
      '\u0002محمد\u0000id4',
      '\u0002مريم\u0000id6',
      '\u0002منى\u0000id5',
    ]);
    expect(entriesOf(arabic)).toHaveLength(2);
  });

  it('refuses a payload cut inside a chunk, with the index it is of', () => {
    const payload = payloadOf('at_-1', false, [new KeyChunk(['\u0009x\u0000id1', '\u0009y\u0000id2'])]);
    expect(() => readIndexRecord(payload.subarray(0, payload.length - 3))).toThrow(
      'index record of at_-1 ends inside a chunk',
    );
    expect(() => readIndexRecord(Buffer.from('no terminator'))).toThrow('an index record has no index name');
  });
});
