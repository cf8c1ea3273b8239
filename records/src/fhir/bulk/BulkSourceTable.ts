import type { BulkTypeSource } from './BulkTypeSource.js';

/** The one table of the types a Bulk Data export can write, each with its source. */
export class BulkSourceTable {
  readonly #sources = new Map<string, BulkTypeSource>();

  constructor(sources: readonly BulkTypeSource[]) {
    for (const source of sources) {
      if (this.#sources.has(source.type)) throw new Error(`two bulk sources for ${source.type}`);
      this.#sources.set(source.type, source);
    }
  }

  get(type: string): BulkTypeSource | undefined {
    return this.#sources.get(type);
  }

  /** Every type of a system-level export, or of a Patient-level one. */
  types(level: 'system' | 'patient'): string[] {
    return [...this.#sources.values()]
      .filter((source) => level === 'system' || source.patientCompartment)
      .map((source) => source.type);
  }
}
