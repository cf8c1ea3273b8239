import { EmbeddedServer } from './server/EmbeddedServer.js';
import type { RunningServer, StartOptions } from './server/ServerTypes.js';

export { EmbeddedServer } from './server/EmbeddedServer.js';
export { growHeapInLargeSteps } from './server/growHeapInLargeSteps.js';
export type { RunningServer, StartOptions, StoreCredentials, StoreUser } from './server/ServerTypes.js';

/** Starts an embedded MongoDB-compatible server; resolves once it is listening. */
export function start(options: StartOptions = {}): Promise<RunningServer> {
  return EmbeddedServer.start(options);
}
