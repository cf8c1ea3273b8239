import type { Logger } from '@telemed/service-kit';
import { AppError, type SfuControlClient, type SfuLoad } from '@telemed/shared';

/** One SFU node: its control API's URL and a typed client of it. */
export interface SfuNode {
  url: string;
  call: SfuControlClient;
}

/** A node's answer to `getLoad`, or nothing when it did not answer. */
export interface SfuNodeLoad {
  url: string;
  load: SfuLoad | undefined;
}

/**
 * The node a new room goes to: the one with the fewest media objects (transports, producers and consumers are
 * what a call costs the SFU), then the least traffic, then the least CPU per core. A node that did not answer
 * is never chosen; with none answering there is no node.
 */
export function leastLoaded(loads: readonly SfuNodeLoad[]): string | undefined {
  let best: { url: string; key: [number, number, number] } | undefined;
  for (const { url, load } of loads) {
    if (!load) continue;
    const key: [number, number, number] = [
      load.transports + load.producers + load.consumers,
      load.bitrate.inBps + load.bitrate.outBps,
      load.cpu / Math.max(1, load.cores),
    ];
    if (!best || compare(key, best.key) < 0) best = { url, key };
  }
  return best?.url;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The SFU nodes of `SFU_URLS`: picks the node of each new room. */
export class SfuNodes {
  readonly nodes: readonly SfuNode[];
  readonly #logger: Logger;

  constructor(nodes: readonly SfuNode[], logger: Logger) {
    if (nodes.length === 0) throw new Error('at least one SFU node is needed');
    this.nodes = nodes;
    this.#logger = logger;
  }

  byUrl(url: string): SfuNode | undefined {
    return this.nodes.find((node) => node.url === url);
  }

  /** Asks every node its load at once; a room is placed once, so this is per new room, not per request. */
  async choose(): Promise<SfuNode> {
    if (this.nodes.length === 1) return this.nodes[0] as SfuNode;
    const loads = await Promise.all(
      this.nodes.map(async ({ url, call }): Promise<SfuNodeLoad> => {
        try {
          return { url, load: await call('getLoad', {}) };
        } catch (error) {
          this.#logger.warn({ err: error, url }, 'SFU node did not report its load');
          return { url, load: undefined };
        }
      }),
    );
    const url = leastLoaded(loads);
    const node = url === undefined ? undefined : this.byUrl(url);
    if (!node)
      throw new AppError('SERVICE_UNAVAILABLE', {
        en: 'No media server answered; try again in a moment.',
        ar: 'لم يستجب أي خادم وسائط؛ حاول مرة أخرى بعد لحظات.',
      });
    return node;
  }
}
