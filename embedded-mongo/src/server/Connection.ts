import type net from 'node:net';
import type { Document } from 'bson';
import { ClientAuth } from '../auth/ClientAuth.js';
import { serialize } from '../bson/serialize.js';
import type { CommandDispatcher } from '../commands/CommandDispatcher.js';
import type { CommandEnvironment } from '../commands/CommandTypes.js';
import { ErrorCode } from '../commands/errorCodes.js';
import { MongoCommandError } from '../commands/MongoCommandError.js';
import { FrameReader } from '../wire/FrameReader.js';
import { decodeRequest, encodeReply, InvalidBsonError } from '../wire/messageCodec.js';
import { ProtocolError } from '../wire/WireTypes.js';

/** How long the replies owed before a bad frame may take to flush before the socket is dropped anyway. */
const CLOSE_FLUSH_TIMEOUT_MS = 5_000;

/**
 * One client connection. Requests are handled strictly in arrival order, as drivers expect;
 * a frame that cannot be parsed closes only this connection.
 */
export class Connection {
  readonly id: number;
  readonly #socket: net.Socket;
  readonly #reader = new FrameReader();
  readonly #dispatcher: CommandDispatcher;
  readonly #env: CommandEnvironment;
  readonly #log: (line: string) => void;
  readonly #auth = new ClientAuth();
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #corked = false;

  constructor(
    id: number,
    socket: net.Socket,
    dispatcher: CommandDispatcher,
    env: CommandEnvironment,
    log: (line: string) => void,
  ) {
    this.id = id;
    this.#socket = socket;
    this.#dispatcher = dispatcher;
    this.#env = env;
    this.#log = log;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => {
      this.#closed = true;
    });
  }

  /** Resolves once the requests already received have been answered. */
  get idle(): Promise<void> {
    return this.#queue;
  }

  close(): void {
    this.#closed = true;
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.#closed) return;
    for (const frame of this.#reader.push(chunk)) this.#queue = this.#queue.then(() => this.#handle(frame));
    const fault = this.#reader.fault;
    // Behind the whole requests that came before it, so that they are answered first.
    if (fault) this.#queue = this.#queue.then(() => this.#closeAfterReplies(fault.message));
  }

  /**
   * Closes after a frame that cannot be answered. The replies already written (and perhaps still corked)
   * are flushed first: `end` sends them, then the FIN; destroying at once would drop them.
   */
  #closeAfterReplies(reason: string): void {
    if (this.#closed) return;
    this.#log(`connection ${this.id}: ${reason}; closing`);
    this.#closed = true;
    this.#socket.end(() => this.#socket.destroy());
    // A client that stops reading would hold the flush, and the socket, open forever.
    setTimeout(() => this.#socket.destroy(), CLOSE_FLUSH_TIMEOUT_MS).unref();
  }

  async #handle(frame: Buffer): Promise<void> {
    if (this.#closed) return;
    let requestId: number;
    let opCode: number;
    let reply: Document | Buffer;
    let moreToCome = false;
    try {
      const request = decodeRequest(frame);
      requestId = request.requestId;
      opCode = request.opCode;
      moreToCome = request.moreToCome;
      reply = await this.#dispatcher.dispatch(request, this.#env, this.id, this.#auth);
    } catch (error) {
      if (error instanceof InvalidBsonError) {
        requestId = error.requestId;
        opCode = error.opCode;
        reply = new MongoCommandError(ErrorCode.InvalidBSON, error.message).toReply();
      } else {
        const reason =
          error instanceof ProtocolError ? error.message : `unexpected error: ${(error as Error).stack}`;
        this.#closeAfterReplies(reason);
        return;
      }
    }
    if (moreToCome || this.#closed) return;
    let body: Buffer;
    try {
      body = Buffer.isBuffer(reply) ? reply : serialize(reply);
    } catch (error) {
      body = serialize(
        new MongoCommandError(
          ErrorCode.BSONObjectTooLarge,
          `reply could not be serialized: ${(error as Error).message}`,
        ).toReply(),
      );
    }
    if (!this.#corked) {
      // Replies to pipelined requests finish in the same turn of the event loop: holding the
      // socket corked until the turn ends sends them in one write instead of one each.
      this.#corked = true;
      this.#socket.cork();
      setImmediate(() => {
        this.#corked = false;
        this.#socket.uncork();
      });
    }
    for (const part of encodeReply(opCode, requestId, body)) this.#socket.write(part);
  }
}
