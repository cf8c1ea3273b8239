import fs from 'node:fs';
import { dirname } from 'node:path';

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

/** Makes a directory's entries (a file created or renamed in it) durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
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
  /**
   * Opened off the event loop: creating a file waits for the filesystem's own journal, which takes
   * seconds on a slow disk while other files' data is written back, and requests would wait with it.
   */
  readonly #opened: Promise<fs.promises.FileHandle>;
  #size = 0;
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

  /**
   * `previous`: the flush records here must follow. `created`: the file is new, so its directory entry
   * is synced before the first record in it counts as durable.
   */
  constructor(
    path: string,
    options: { previous?: Promise<void>; created?: boolean; onFlushed?: FlushObserver } = {},
  ) {
    this.path = path;
    this.#onFlushed = options.onFlushed;
    this.#previous = options.previous ?? Promise.resolve();
    this.#opened = (async () => {
      const handle = await fs.promises.open(path, 'a');
      this.#size = (await handle.stat()).size;
      if (options.created) await syncDirectory(dirname(path));
      return handle;
    })();
    // A failed open surfaces in the first flush or in close().
    this.#opened.catch(() => {});
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
      await (await this.#opened).close();
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
      const { fd } = await this.#opened;
      if (this.#failure) throw this.#failure;
      if (bytes > 0) {
        const started = performance.now();
        await writeAll(fd, data);
        await fdatasync(fd);
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
