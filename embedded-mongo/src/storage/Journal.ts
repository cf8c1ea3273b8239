import fs from 'node:fs';

// Below IOV_MAX, so one writev call takes the whole group.
const MAX_IOVECS = 1024;

/** Writes every buffer in order, resuming after short writes (no concatenation copy). */
function writeAll(fd: number, buffers: Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let queue = buffers;
    const step = () => {
      if (queue.length === 0) {
        resolve();
        return;
      }
      const batch = queue.slice(0, MAX_IOVECS);
      fs.writev(fd, batch, (error, written) => {
        if (error) {
          reject(error);
          return;
        }
        let rest = written;
        let i = 0;
        while (i < batch.length && rest >= batch[i]!.length) rest -= batch[i++]!.length;
        queue = queue.slice(i);
        if (rest > 0) queue[0] = queue[0]!.subarray(rest);
        step();
      });
    };
    step();
  });
}

function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())));
}

/** Told of each flush: how many bytes it wrote and how long writing and syncing them took. */
export type FlushObserver = (bytes: number, ms: number) => void;

/**
 * Append-only journal file with group commit: records are buffered as they are produced
 * and `sync()` resolves once they are written and fdatasync'ed, so one disk flush
 * acknowledges every write that arrived meanwhile. Flushes run off the event loop, one at
 * a time, so the next batch of requests is processed while the disk works on the last one.
 */
export class Journal {
  readonly path: string;
  #fd: number;
  #size: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #waiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  #scheduled = false;
  #flushing: Promise<void> | undefined;
  #failure: Error | undefined;
  /** The previous journal's final flush: records here must not become durable before those. */
  #previous: Promise<void>;
  #closing: Promise<void> | undefined;
  readonly #onFlushed: FlushObserver | undefined;

  constructor(path: string, previous: Promise<void> = Promise.resolve(), onFlushed?: FlushObserver) {
    this.path = path;
    this.#onFlushed = onFlushed;
    this.#fd = fs.openSync(path, 'a');
    this.#size = fs.fstatSync(this.#fd).size;
    this.#previous = previous;
  }

  /** Bytes in the file plus bytes waiting to be written. */
  get size(): number {
    return this.#size + this.#pendingBytes;
  }

  append(buffers: Buffer[]): void {
    if (this.#closing) throw new Error(`journal ${this.path} is closed`);
    for (const buf of buffers) {
      this.#pending.push(buf);
      this.#pendingBytes += buf.length;
    }
  }

  /** Resolves when everything appended so far is on disk. */
  sync(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    // Nothing new: whatever was appended earlier is in the flush under way, if any.
    if (this.#pendingBytes === 0) return this.#flushing ?? Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.#schedule();
    });
  }

  /** Flushes what is pending, waits for it, and closes the file. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      while (this.#flushing || this.#pendingBytes > 0) {
        if (this.#flushing) await this.#flushing.catch(() => {});
        else await this.#flush();
      }
      fs.closeSync(this.#fd);
      if (this.#failure) throw this.#failure;
    })();
    return this.#closing;
  }

  #schedule(): void {
    if (this.#scheduled || this.#flushing) return;
    this.#scheduled = true;
    // Let requests already received append their records first: one fsync for all of them.
    setImmediate(() => {
      this.#scheduled = false;
      if (!this.#flushing) void this.#flush();
    });
  }

  #flush(): Promise<void> {
    const waiters = this.#waiters;
    this.#waiters = [];
    const data = this.#pending;
    const bytes = this.#pendingBytes;
    this.#pending = [];
    this.#pendingBytes = 0;
    const flushing = (async () => {
      await this.#previous;
      if (this.#failure) throw this.#failure;
      if (bytes > 0) {
        const started = performance.now();
        await writeAll(this.#fd, data);
        await fdatasync(this.#fd);
        this.#size += bytes;
        this.#onFlushed?.(bytes, performance.now() - started);
      }
    })();
    this.#flushing = flushing;
    return flushing.then(
      () => {
        this.#flushing = undefined;
        for (const waiter of waiters) waiter.resolve();
        // Records that arrived during this flush go out now, together.
        if (this.#waiters.length > 0) void this.#flush();
      },
      (error: Error) => {
        // A journal that failed to write cannot acknowledge anything after this point.
        this.#failure ??= error;
        this.#flushing = undefined;
        for (const waiter of [...waiters, ...this.#waiters.splice(0)]) waiter.reject(this.#failure);
      },
    );
  }
}
