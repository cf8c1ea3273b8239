import type { SignalingNotification } from '@telemed/shared';

type VideoBandwidthNotice = SignalingNotification<'media:video-bandwidth'>;

/** What the screens show of the audio-only fallback. */
export interface WeakLinkSnapshot {
  /** The participants whose video the SFU holds back from us because our own link is weak (audio continues). */
  videoPausedFrom: string[];
  /** Someone receives our video as audio only, because their link is weak. */
  sendingAudioOnly: boolean;
}

export const noWeakLink: WeakLinkSnapshot = { videoPausedFrom: [], sendingAudioOnly: false };

/**
 * Follows the SFU's bandwidth pauses as signaling tells them, on both sides: as viewer by consumer (whose video
 * it is), as sender by producer. Video resumes by itself, and a closed consumer or producer ends its pause.
 */
export class WeakLinkState {
  readonly #pausedConsumers = new Map<string, string>();
  readonly #pausedProducers = new Set<string>();

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

  /** Returns whether anything changed. */
  consumerClosed(consumerId: string): boolean {
    return this.#pausedConsumers.delete(consumerId);
  }

  /** Returns whether anything changed. */
  producerClosed(producerId: string): boolean {
    return this.#pausedProducers.delete(producerId);
  }

  clear(): void {
    this.#pausedConsumers.clear();
    this.#pausedProducers.clear();
  }

  get snapshot(): WeakLinkSnapshot {
    return {
      videoPausedFrom: [...new Set(this.#pausedConsumers.values())],
      sendingAudioOnly: this.#pausedProducers.size > 0,
    };
  }
}
