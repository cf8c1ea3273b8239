import net from 'node:net';
import { type Document, deserialize, serialize } from 'bson';

const OP_MSG = 2013;
// Header (16 bytes) and flag bits (4): the sections follow.
const HEADER = 20;
// A reply's single kind-0 section starts right after them.
const REPLY_BODY = 21;

interface Pending {
  resolve: (reply: Buffer) => void;
  reject: (error: Error) => void;
}

/**
 * A minimal MongoDB wire client for benchmarks, as redis-benchmark is for Redis: commands
 * are OP_MSG frames around pre-serialized BSON, pipelined on one socket without waiting
 * for replies, and replies are handed back as bytes. No driver, no sessions, no decoding
 * unless asked, so the client costs little next to the server it measures.
 */
export class RawWireClient {
  readonly #socket: net.Socket;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #closed: Error | undefined;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('connection closed')));
  }

  /** Opens a connection to `host:port`. */
  static connect(host: string, port: number): Promise<RawWireClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port }, () => {
        socket.off('error', reject);
        resolve(new RawWireClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /**
   * Serializes a command once, for sending many times: the body (it must carry `$db`) and
   * optional document sequences, which are how drivers send an insert's documents (kind-1
   * sections the server stores without decoding).
   */
  static encode(body: Document, sequences: Record<string, Document[]> = {}): Buffer {
    const parts: Uint8Array[] = [Buffer.from([0]), serialize(body)];
    for (const [identifier, docs] of Object.entries(sequences)) {
      const name = Buffer.from(`${identifier}\0`, 'utf8');
      const encoded = docs.map((doc) => serialize(doc));
      const size = 4 + name.length + encoded.reduce((n, doc) => n + doc.length, 0);
      const head = Buffer.alloc(5);
      head[0] = 1;
      head.writeInt32LE(size, 1);
      parts.push(head, name, ...encoded);
    }
    return Buffer.concat(parts);
  }

  /** Decodes a reply document's bytes. */
  static decode(reply: Buffer): Document {
    return deserialize(reply);
  }

  /** Sends a command made by `encode`; resolves with the reply document's bytes. */
  send(sections: Buffer): Promise<Buffer> {
    if (this.#closed) return Promise.reject(this.#closed);
    const id = this.#nextId++;
    const header = Buffer.allocUnsafe(HEADER);
    header.writeInt32LE(HEADER + sections.length, 0);
    header.writeInt32LE(id, 4);
    header.writeInt32LE(0, 8);
    header.writeInt32LE(OP_MSG, 12);
    header.writeUInt32LE(0, 16);
    const reply = new Promise<Buffer>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.#socket.cork();
    this.#socket.write(header);
    this.#socket.write(sections);
    process.nextTick(() => this.#socket.uncork());
    return reply;
  }

  /** Sends a command and decodes the reply; rejects when the server answers `ok: 0`. */
  async command(body: Document | Buffer): Promise<Document> {
    const reply = deserialize(await this.send(Buffer.isBuffer(body) ? body : RawWireClient.encode(body)));
    if (reply.ok !== 1) throw new Error(`command failed: ${reply.errmsg ?? JSON.stringify(reply)}`);
    return reply;
  }

  /** Closes the connection. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#socket.once('close', () => resolve());
      this.#socket.end();
    });
  }

  #receive(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    while (this.#buffered >= 4) {
      const head = this.#chunks[0]!.length >= 4 ? this.#chunks[0]! : this.#flatten();
      const length = head.readInt32LE(0);
      if (this.#buffered < length) return;
      const all = this.#chunks.length === 1 ? this.#chunks[0]! : this.#flatten();
      const frame = all.subarray(0, length);
      const rest = all.subarray(length);
      this.#chunks = rest.length > 0 ? [rest] : [];
      this.#buffered = rest.length;
      const responseTo = frame.readInt32LE(8);
      const waiter = this.#pending.get(responseTo);
      if (!waiter) continue;
      this.#pending.delete(responseTo);
      if (frame.readInt32LE(12) !== OP_MSG || frame[20] !== 0) {
        waiter.reject(new Error('unexpected reply frame'));
        continue;
      }
      waiter.resolve(frame.subarray(REPLY_BODY));
    }
  }

  #flatten(): Buffer {
    const all = Buffer.concat(this.#chunks, this.#buffered);
    this.#chunks = [all];
    return all;
  }

  #fail(error: Error): void {
    this.#closed ??= error;
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
  }
}
