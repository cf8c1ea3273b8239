import type { Logger } from '@telemed/service-kit';
import type { SfuEvent } from '@telemed/shared';
import type { SfuNode } from './SfuNodes.js';

const waitMs = 5_000;
const retryMs = 1_000;
/** A long poll cut once may be a hiccup; refused again a second later, the node is down (a crash, a kill -9). */
const failuresBeforeLost = 2;

/**
 * Follows one SFU node's event log by long polling `pollEvents`, handing each event on in order. It starts at
 * the node's current end (older events concern rooms of an earlier life of this process), and a failed poll is
 * retried after a pause, so a restarting SFU does not stop the pump. `stop()` ends it without waiting for the
 * poll in flight (at most `waitMs`), whose answer is then dropped. Polls failing `failuresBeforeLost` times in a
 * row report the node lost, once, until it answers again: this is signaling's health probe of the node, at no
 * cost, since the pump is polling anyway.
 */
export class SfuEventPump {
  readonly #node: SfuNode;
  readonly #onEvent: (event: SfuEvent, node: SfuNode) => void;
  readonly #logger: Logger;
  readonly #onLost: (node: SfuNode) => void;
  #running = false;

  constructor(
    node: SfuNode,
    onEvent: (event: SfuEvent, node: SfuNode) => void,
    logger: Logger,
    onLost: (node: SfuNode) => void = () => undefined,
  ) {
    this.#node = node;
    this.#onEvent = onEvent;
    this.#logger = logger;
    this.#onLost = onLost;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#run();
  }

  stop(): void {
    this.#running = false;
  }

  async #run(): Promise<void> {
    let afterSeq: number | undefined;
    let failures = 0;
    while (this.#running) {
      try {
        if (afterSeq === undefined) {
          afterSeq = (await this.#node.call('pollEvents', { afterSeq: 0, waitMs: 0 })).lastSeq;
          failures = 0;
          continue;
        }
        const { events, lastSeq } = await this.#node.call('pollEvents', { afterSeq, waitMs });
        failures = 0;
        // A restarted SFU counts from zero again.
        afterSeq = lastSeq < afterSeq ? 0 : lastSeq;
        if (!this.#running) return;
        for (const event of events) {
          try {
            this.#onEvent(event, this.#node);
          } catch (error) {
            this.#logger.error({ err: error, event }, 'handling an SFU event failed');
          }
        }
      } catch (error) {
        if (!this.#running) return;
        failures++;
        if (failures === failuresBeforeLost) {
          this.#logger.error({ err: error, url: this.#node.url }, 'SFU node lost');
          this.#onLost(this.#node);
          // Its rooms are placed elsewhere now; a node that comes back starts with an empty log to follow.
          afterSeq = undefined;
        }
        if (failures <= failuresBeforeLost) {
          this.#logger.warn({ err: error, url: this.#node.url }, 'polling SFU events failed; retrying');
        }
        await new Promise((resolve) => setTimeout(resolve, retryMs));
      }
    }
  }
}
