/**
 * Runs the tasks given for one key one after another (and tasks of different keys side by side), so that two
 * events on one room, each waiting on records, cannot interleave their read-change-write of its state.
 * Within one process only: across nodes, `RoomStateStore.exclusive` (a Redis lock) orders them as well.
 */
export class KeyedSerializer {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
