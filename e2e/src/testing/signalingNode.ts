import type { RunningPlatform } from '@telemed/launcher';
import { type ServiceNode, sfuControlSecret, startServiceNode } from './serviceNode.js';

/** A second signaling process beside the platform's own. */
export type SignalingNode = ServiceNode;

/**
 * `signaling/dist/main.js` on a port of its own, on the platform's records and SFU (with the SFU secret `npm start`
 * generated in `dataDir`) and on the Redis at `redisUrl` (none: rooms in its own memory), ready when this
 * answers. `env` adds to or overrides that (e.g. `SFU_URLS` naming several SFU nodes).
 */
export function startSignalingNode(
  platform: RunningPlatform,
  dataDir: string,
  redisUrl: string | undefined,
  env: Record<string, string> = {},
  { host }: { host?: string } = {},
): Promise<SignalingNode> {
  return startServiceNode({
    main: 'signaling/dist/main.js',
    ...(host ? { host } : {}),
    env: (port) => ({
      SIGNALING_PORT: String(port),
      RECORDS_URL: platform.urls.records,
      SFU_URL: platform.urls.sfu,
      SFU_CONTROL_SECRET: sfuControlSecret(dataDir),
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      ...env,
    }),
    readyPath: '/readyz',
    what: 'a second signaling node',
  });
}
