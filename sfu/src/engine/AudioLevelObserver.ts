import type { EnhancedEventEmitter } from './EnhancedEventEmitter.js';
import type { Producer } from './Producer.js';

export interface AudioLevelObserverOptions {
  /** How many loudest producers each `volumes` event lists. */
  maxEntries?: number;
  /** dBov (−127…0) below which a producer counts as silent. */
  threshold?: number;
  /** Milliseconds between reports. */
  interval?: number;
}

export interface AudioLevelObserverVolume {
  producer: Producer;
  /** Average dBov over the interval (0 is loudest). */
  volume: number;
}

export type AudioLevelObserverEvents = {
  volumes: [AudioLevelObserverVolume[]];
  silence: [];
  /** The loudest producer changed. */
  dominantspeaker: [Producer];
  routerclose: [];
  listenererror: [string, unknown];
};

export interface AudioLevelObserver extends EnhancedEventEmitter<AudioLevelObserverEvents> {
  readonly id: string;
  readonly closed: boolean;
  addProducer(params: { producerId: string }): Promise<void>;
  removeProducer(params: { producerId: string }): Promise<void>;
  close(): void;
}
