import fs from 'node:fs';

/**
 * Append-only journal file with group commit: records are buffered as they are produced
 * and `sync()` resolves once they are written and fdatasync'ed, so one disk flush
 * acknowledges every write that arrived meanwhile.
 */
export class Journal {
  readonly path: string;
  #fd: number;
  #size: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #waiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  #scheduled = false;
  #failure: Error | undefined;

  constructor(path: string) {
    this.path = path;
    this.#fd = fs.openSync(path, 'a');
    this.#size = fs.fstatSync(this.#fd).size;
  }

  /** Bytes in the file plus bytes waiting to be written. */
  get size(): number {
    return this.#size + this.#pendingBytes;
  }

  append(buffers: Buffer[]): void {
    for (const buf of buffers) {
      this.#pending.push(buf);
      this.#pendingBytes += buf.length;
    }
  }

  /** Resolves when everything appended so far is on disk. */
  sync(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#pendingBytes === 0 && this.#waiters.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // Let requests already received append their records first: one fsync for all of them.
        setImmediate(() => this.#flushAndNotify());
      }
    });
  }

  /** Writes and flushes pending records now (used before rotation and at close). */
  flushNow(): void {
    if (this.#failure) throw this.#failure;
    if (this.#pendingBytes === 0) return;
    const data =
      this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    let written = 0;
    while (written < data.length) written += fs.writeSync(this.#fd, data, written, data.length - written);
    fs.fdatasyncSync(this.#fd);
    this.#size += data.length;
  }

  #flushAndNotify(): void {
    this.#scheduled = false;
    const waiters = this.#waiters;
    this.#waiters = [];
    try {
      this.flushNow();
    } catch (error) {
      // A journal that failed to write cannot acknowledge anything after this point.
      this.#failure = error as Error;
    }
    for (const waiter of waiters) {
      if (this.#failure) waiter.reject(this.#failure);
      else waiter.resolve();
    }
  }

  close(): void {
    this.flushNow();
    fs.closeSync(this.#fd);
  }
}
