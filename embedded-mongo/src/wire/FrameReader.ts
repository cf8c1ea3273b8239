import { MAX_MESSAGE_SIZE_BYTES } from '../bson/bsonLimits.js';
import { HEADER_SIZE } from './opcodes.js';
import { ProtocolError } from './WireTypes.js';

/** Cuts a TCP byte stream into whole wire-protocol messages. */
export class FrameReader {
  #chunks: Buffer[] = [];
  #buffered = 0;
  #fault: ProtocolError | undefined;

  /**
   * Adds received bytes; returns the complete messages now available. A bad length ends the stream (see
   * `fault`), but the whole messages before it, perhaps sent in the same write, are still returned: the
   * client is owed their replies.
   */
  push(chunk: Buffer): Buffer[] {
    if (this.#fault) return [];
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const frames: Buffer[] = [];
    while (this.#buffered >= 4) {
      const length = this.#peekLength();
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE_BYTES) {
        this.#fault = new ProtocolError(`invalid message length ${length}`);
        this.#chunks = [];
        this.#buffered = 0;
        break;
      }
      if (this.#buffered < length) break;
      frames.push(this.#take(length));
    }
    return frames;
  }

  /** The bad length that ended the stream, once one was met; nothing after it is read. */
  get fault(): ProtocolError | undefined {
    return this.#fault;
  }

  /** Bytes received but not yet part of a complete message (a truncated frame at close). */
  get pendingBytes(): number {
    return this.#buffered;
  }

  #peekLength(): number {
    const first = this.#chunks[0]!;
    if (first.length >= 4) return first.readInt32LE(0);
    const merged = Buffer.concat(this.#chunks);
    this.#chunks = [merged];
    return merged.readInt32LE(0);
  }

  #take(length: number): Buffer {
    const first = this.#chunks[0]!;
    if (first.length >= length) {
      const frame = first.subarray(0, length);
      if (first.length === length) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(length);
      this.#buffered -= length;
      return frame;
    }
    const merged = Buffer.concat(this.#chunks, this.#buffered);
    this.#chunks = merged.length > length ? [merged.subarray(length)] : [];
    this.#buffered -= length;
    return merged.subarray(0, length);
  }
}
