import type { SfuPlacementStore } from './SfuPlacementStore.js';

/** Placements for one signaling node. */
export class InMemorySfuPlacementStore implements SfuPlacementStore {
  readonly #placements = new Map<string, string>();

  async get(appointmentId: string): Promise<string | undefined> {
    return this.#placements.get(appointmentId);
  }

  async claim(appointmentId: string, url: string): Promise<string> {
    const placed = this.#placements.get(appointmentId);
    if (placed !== undefined) return placed;
    this.#placements.set(appointmentId, url);
    return url;
  }

  async release(appointmentId: string): Promise<void> {
    this.#placements.delete(appointmentId);
  }
}
