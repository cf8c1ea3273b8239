import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningPlatform, startPlatformOnFreePorts } from '@telemed/launcher';
import { type RunningRedisServer, startRedisServer } from '@telemed/service-kit';
import { createSfuControlClient } from '@telemed/shared';
import { type SfuNodeProcess, startSfuNode } from '../testing/sfuNode.js';
import { type SignalingNode, startSignalingNode } from '../testing/signalingNode.js';
import { labPlatformEnv } from './FieldCall.js';
import { hubAddress } from './lab/NetworkLab.js';

/** UDP ranges of the two extra SFU nodes, apart from the platform's own (which starts at a free TCP port). */
const rtcBase = 21_000 + (process.pid % 200) * 120;

/**
 * The platform as the kill rows need it, every node on the lab's hub address: two SFU nodes of its own whose
 * processes it holds (the platform's `SFU_URLS` names them, so rooms are placed there and the one holding a room
 * can be killed), a redis-server, and a second signaling node beside the platform's own on that Redis (the clinic
 * starts there and falls back to the platform's). The SFU secret is written into the data directory first, so
 * that the launcher and the extra nodes share it.
 */
export class KillCluster {
  private constructor(
    readonly platform: RunningPlatform,
    readonly sfuNodes: SfuNodeProcess[],
    readonly signaling: SignalingNode,
    private readonly redis: RunningRedisServer,
    private readonly dataDir: string,
    private readonly secret: string,
  ) {}

  static async start(): Promise<KillCluster> {
    const dataDir = mkdtempSync(join(tmpdir(), 'telemed-bench-kill-'));
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(join(dataDir, 'secrets.json'), JSON.stringify({ SFU_CONTROL_SECRET: secret }));
    const started: Array<{ stop(): Promise<unknown> }> = [];
    try {
      const redis = await startRedisServer();
      started.push(redis);
      const sfuNodes = await Promise.all(
        [rtcBase, rtcBase + 60].map((min) => startSfuNode(dataDir, min, 50, { host: hubAddress })),
      );
      started.push(...sfuNodes);
      const sfuUrls = sfuNodes.map((node) => node.url).join(',');
      const platform = await startPlatformOnFreePorts(dataDir, {
        LOG_LEVEL: 'warn',
        ...labPlatformEnv(),
        REDIS_URL: redis.url,
        SFU_URLS: sfuUrls,
      });
      started.push(platform);
      const signaling = await startSignalingNode(
        platform,
        dataDir,
        redis.url,
        { SFU_URLS: sfuUrls },
        { host: hubAddress },
      );
      return new KillCluster(platform, sfuNodes, signaling, redis, dataDir, secret);
    } catch (error) {
      for (const node of started.reverse()) await node.stop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The platform's signaling node, as a browser in the lab reaches it. */
  get platformSignalingUrl(): string {
    return `http://${hubAddress}:${this.platform.config.SIGNALING_PORT}`;
  }

  /** The extra SFU node that holds a room (the call's), if one does. */
  async sfuNodeHoldingTheRoom(): Promise<SfuNodeProcess | undefined> {
    const loads = await Promise.all(
      this.sfuNodes.map((node) =>
        createSfuControlClient({ url: node.url, secret: this.secret })('getLoad', {}).catch(() => undefined),
      ),
    );
    return this.sfuNodes[loads.findIndex((load) => (load?.rooms ?? 0) > 0)];
  }

  async stop(): Promise<void> {
    await this.signaling.stop().catch(() => undefined);
    await this.platform.stop().catch(() => undefined);
    for (const node of this.sfuNodes) await node.stop().catch(() => undefined);
    await this.redis.stop().catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
