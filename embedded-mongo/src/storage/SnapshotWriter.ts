import fs from 'node:fs';
import zlib from 'node:zlib';
import type { KeyChunk } from '../indexes/KeyChunk.js';
import { chunkRecordBytes, indexRecordHead, writeChunkRecord } from './indexRecord.js';
import { encodeRecord, RecordType } from './recordFile.js';

/** Documents per insertBatch record: about 1 MiB, one checksum each. */
const BLOCK_BYTES = 1024 * 1024;
/** Room for the largest BSON document (16 MiB) and its record framing. */
const STAGING_BYTES = 17 * 1024 * 1024;
/** Staged bytes are written out from here on: the event loop is free while they go to disk. */
const WRITE_BYTES = 4 * 1024 * 1024;
/** Written bytes are synced to disk every this many. */
const SYNC_BYTES = 4 * 1024 * 1024;

const EMPTY = Buffer.alloc(0);

function copyDocument(raw: Buffer, target: Buffer, at: number): number {
  return at + raw.copy(target, at);
}

/**
 * Writes a snapshot file (records framed as in recordFile.ts) while the store goes on serving, at
 * most `bytesPerSecond` (until `hurry`): a compaction is background work, and at full speed it
 * takes a core and the disk from the requests for seconds.
 * Documents are copied into one reused staging buffer, so a snapshot of hundreds of megabytes
 * allocates no memory per block (allocations the collector would otherwise chase with full
 * collections of a large heap), and the file is synced every 4 MiB: with ext4's ordered
 * journaling, an fsync of the write-ahead journal waits for other files' dirty data, so letting
 * the whole snapshot pile up unsynced would stall every acknowledged write for hundreds of ms.
 */
export class SnapshotWriter {
  readonly #file: fs.promises.FileHandle;
  readonly #staging = Buffer.allocUnsafeSlow(STAGING_BYTES);
  #used = 0;
  #unsynced = 0;
  #written = 0;
  #bytesPerSecond: number;
  readonly #started = performance.now();

  private constructor(file: fs.promises.FileHandle, bytesPerSecond: number) {
    this.#file = file;
    this.#bytesPerSecond = bytesPerSecond;
  }

  /** `bytesPerSecond`: the pace of writing; Infinity for as fast as the disk goes. */
  static async create(filePath: string, bytesPerSecond = Number.POSITIVE_INFINITY): Promise<SnapshotWriter> {
    return new SnapshotWriter(await fs.promises.open(filePath, 'w'), bytesPerSecond);
  }

  /** Goes on at full speed (the store is closing and waits for this snapshot). */
  hurry(): void {
    this.#bytesPerSecond = Number.POSITIVE_INFINITY;
  }

  /** Appends one record (header, catalog, end). */
  async record(type: number, ns: string, bson: Buffer): Promise<void> {
    for (const part of encodeRecord(type, ns, bson)) await this.#stage(part);
  }

  /** Appends `docs` (stored BSON documents) of collection `ns` as insertBatch records. */
  documents(ns: string, docs: Iterable<Buffer>): Promise<void> {
    return this.#blocks(RecordType.insertBatch, ns, EMPTY, docs, (raw) => raw.length, copyDocument);
  }

  /**
   * Appends the entries of index `name` of collection `ns`, as its frozen `chunks` hold them, as
   * indexEntries records (see indexRecord.ts).
   */
  async indexEntries(
    ns: string,
    name: string,
    multikey: boolean,
    chunks: readonly KeyChunk[],
  ): Promise<void> {
    const head = indexRecordHead(name, multikey);
    // An empty index still gets a record: recovery loads only an index the snapshot holds.
    if (chunks.length === 0) return this.record(RecordType.indexEntries, ns, head);
    await this.#blocks(RecordType.indexEntries, ns, head, chunks, chunkRecordBytes, writeChunkRecord);
  }

  /**
   * Appends `items` as records of `type`, each `head` followed by as many items as fit in about 1 MiB,
   * assembled in the staging buffer.
   */
  async #blocks<T>(
    type: number,
    ns: string,
    head: Buffer,
    items: Iterable<T>,
    sizeOf: (item: T) => number,
    write: (item: T, target: Buffer, at: number) => number,
  ): Promise<void> {
    const nsBytes = Buffer.from(`${ns}\u0000`);
    const headBytes = 8 + 1 + nsBytes.length + head.length;
    let start = -1;
    const endBlock = () => {
      if (start < 0) return;
      const staging = this.#staging;
      staging.writeUInt32LE(this.#used - start - 8, start);
      staging.writeUInt32LE(zlib.crc32(staging.subarray(start + 8, this.#used)), start + 4);
      start = -1;
    };
    for (const item of items) {
      const size = sizeOf(item);
      if (start >= 0 && (this.#used + size > STAGING_BYTES || this.#used - start >= BLOCK_BYTES)) {
        endBlock();
        if (this.#used >= WRITE_BYTES) await this.#writeOut();
      }
      if (start < 0) {
        if (this.#used + headBytes + size > STAGING_BYTES) await this.#writeOut();
        start = this.#used;
        this.#staging[start + 8] = type;
        nsBytes.copy(this.#staging, start + 9);
        head.copy(this.#staging, start + 9 + nsBytes.length);
        this.#used += headBytes;
      }
      this.#used = write(item, this.#staging, this.#used);
    }
    endBlock();
  }

  /** Writes what is staged, syncs and closes the file; returns the file's size. */
  async finish(): Promise<number> {
    try {
      await this.#writeOut();
      await this.#file.sync();
    } finally {
      await this.#file.close();
    }
    return this.#written;
  }

  /** Closes the file after a failure (the caller removes it). */
  async abandon(): Promise<void> {
    await this.#file.close().catch(() => {});
  }

  async #stage(bytes: Buffer): Promise<void> {
    if (this.#used + bytes.length > STAGING_BYTES) await this.#writeOut();
    if (bytes.length > STAGING_BYTES) {
      await this.#write(bytes, bytes.length);
      return;
    }
    bytes.copy(this.#staging, this.#used);
    this.#used += bytes.length;
  }

  async #writeOut(): Promise<void> {
    const length = this.#used;
    this.#used = 0;
    if (length > 0) await this.#write(this.#staging, length);
  }

  async #write(bytes: Buffer, length: number): Promise<void> {
    for (let at = 0; at < length; ) {
      const { bytesWritten } = await this.#file.write(bytes, at, length - at);
      at += bytesWritten;
    }
    this.#written += length;
    this.#unsynced += length;
    if (this.#unsynced >= SYNC_BYTES) {
      this.#unsynced = 0;
      await this.#file.datasync();
    }
    const ahead = this.#started + (this.#written / this.#bytesPerSecond) * 1000 - performance.now();
    if (ahead > 1) await new Promise((resolve) => setTimeout(resolve, ahead));
  }
}
