import type { SignalingNotification } from '@telemed/shared';

type VideoBandwidthNotice = SignalingNotification<'media:video-bandwidth'>;
type ProducerPausedNotice = SignalingNotification<'media:producer-paused'>;

/** What the screens show of the audio-only fallback. */
export interface WeakLinkSnapshot {
  /** The participants whose video the SFU holds back from us because our own link is weak (audio continues). */
  videoPausedFrom: string[];
  /** Someone receives our video as audio only, because their link is weak. */
  sendingAudioOnly: boolean;
  /** The participants who paused their own video because their uplink is weak (audio continues). */
  videoPausedBySender: string[];
  /** We paused our own camera because our uplink cannot carry it (audio continues; it resumes by itself). */
  uplinkVideoPaused: boolean;
}

export const noWeakLink: WeakLinkSnapshot = {
  videoPausedFrom: [],
  sendingAudioOnly: false,
  videoPausedBySender: [],
  uplinkVideoPaused: false,
};

/**
 * Follows the bandwidth pauses on both sides. The SFU's, as signaling tells them: as viewer by consumer (whose
 * video it is), as sender by producer. The senders' own, for their weak uplink: by producer (`media:producer-paused`
 * with reason `bandwidth`), and ours (`uplinkPaused`). Video resumes by itself, and a closed consumer or producer
 * ends its pause.
 */
export class WeakLinkState {
  readonly #pausedConsumers = new Map<string, string>();
  readonly #pausedProducers = new Set<string>();
  /** Others' producers paused by their owner for a weak uplink, with whose they are. */
  readonly #senderPaused = new Map<string, string>();
  #uplinkPaused = false;

  apply(notice: VideoBandwidthNotice): void {
    if (notice.side === 'viewer') {
      if (notice.paused) this.#pausedConsumers.set(notice.consumerId, notice.participantId);
      else this.#pausedConsumers.delete(notice.consumerId);
    } else if (notice.paused) {
      this.#pausedProducers.add(notice.producerId);
    } else {
      this.#pausedProducers.delete(notice.producerId);
    }
  }

  /** Returns whether anything changed. A pause for another reason (camera off) ends a bandwidth one too. */
  applyProducerPause(notice: ProducerPausedNotice): boolean {
    if (notice.paused && notice.reason === 'bandwidth') {
      if (this.#senderPaused.get(notice.producerId) === notice.participantId) return false;
      this.#senderPaused.set(notice.producerId, notice.participantId);
      return true;
    }
    return this.#senderPaused.delete(notice.producerId);
  }

  /** Returns whether anything changed. */
  uplinkPaused(paused: boolean): boolean {
    if (this.#uplinkPaused === paused) return false;
    this.#uplinkPaused = paused;
    return true;
  }

  /** Returns whether anything changed. */
  consumerClosed(consumerId: string): boolean {
    return this.#pausedConsumers.delete(consumerId);
  }

  /** Returns whether anything changed. Our own or another's producer. */
  producerClosed(producerId: string): boolean {
    const own = this.#pausedProducers.delete(producerId);
    return this.#senderPaused.delete(producerId) || own;
  }

  clear(): void {
    this.#pausedConsumers.clear();
    this.#pausedProducers.clear();
    this.#senderPaused.clear();
    this.#uplinkPaused = false;
  }

  get snapshot(): WeakLinkSnapshot {
    return {
      videoPausedFrom: [...new Set(this.#pausedConsumers.values())],
      sendingAudioOnly: this.#pausedProducers.size > 0,
      videoPausedBySender: [...new Set(this.#senderPaused.values())],
      uplinkVideoPaused: this.#uplinkPaused,
    };
  }
}
