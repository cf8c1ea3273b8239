/**
 * Reads until `holds`, and answers the value that held; fails naming `what` and the last value read if it does
 * not within `waitMs`, reading every `everyMs`. For what a browser page shows some time after the action that
 * causes it.
 */
export async function until<T>(
  read: () => Promise<T>,
  holds: (value: T) => boolean,
  what: string,
  waitMs = 30_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  let value = await read();
  while (!holds(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: never happened; last seen ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    value = await read();
  }
  return value;
}
