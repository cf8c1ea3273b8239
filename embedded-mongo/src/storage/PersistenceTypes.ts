/** Tuning of the durable store. */
export interface PersistenceOptions {
  /** Directory holding the journal and snapshots (mongod's `--dbpath`). */
  dir: string;
  /**
   * Compact once the journal exceeds this many bytes and the size of the last snapshot, in a quiet spell (a
   * busy store: at twice that). Default 256 MiB (each compaction rewrites every stored document).
   */
  compactMinBytes?: number;
  /** How often to check whether the store is quiet and its journal worth compacting. Default 60 s. */
  compactIntervalMs?: number;
  /**
   * How fast a compaction writes its snapshot (bytes/s); default 64 MiB/s. It runs beside the requests,
   * which would otherwise wait for the CPU and the disk it takes; a closing store finishes at full speed.
   */
  compactBytesPerSecond?: number;
  /**
   * Longest time a write acknowledged without waiting for the journal (write concern `w: 1`) stays only in
   * memory (mongod's `--journalCommitInterval`). Default 100 ms.
   */
  journalCommitIntervalMs?: number;
  /** A journal flush (write and fdatasync) slower than this is logged, with its size. Default 100 ms. */
  slowFlushMs?: number;
  /** Receives one-line notices (recovery, torn tail, compaction, slow flushes). */
  log?: (line: string) => void;
}

/** What recovery found, for logs and tests. */
export interface RecoveryReport {
  snapshotGeneration: number;
  journalsReplayed: number;
  recordsReplayed: number;
  /** Bytes of a torn last record that were discarded. */
  tornBytes: number;
  documents: number;
  /** Collections whose indexes were rebuilt from their documents, not loaded from the snapshot. */
  indexesRebuilt: number;
  ms: number;
}
