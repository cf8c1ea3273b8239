import { randomUUID } from 'node:crypto';
import type { Logger } from '@telemed/service-kit';
import {
  AppError,
  type AuthenticatedUser,
  type SignalingAck,
  type SignalingParsedRequest,
} from '@telemed/shared';
import { KeyedSerializer } from '../rooms/KeyedSerializer.js';
import { ignoreGone } from './ParticipantMedia.js';
import type { SfuNode, SfuNodes } from './SfuNodes.js';

export interface NetworkTestsOptions {
  nodes: SfuNodes;
  logger: Logger;
  /** A test's router closes by itself after this long, whatever the browser does (60 s by default). */
  maxDurationMs?: number;
  /** How many tests one user may start per `rateWindowMs` (10 per 10 minutes by default), on this node. */
  startsPerWindow?: number;
  rateWindowMs?: number;
}

/** Who asks: the socket owns the test; the user is what the rate limit counts. */
export interface NetworkTestActor {
  user: AuthenticatedUser;
  socketId: string;
}

/** One socket's loopback on the SFU: its own router, two transports, and the media it sent itself. */
interface RunningTest {
  roomId: string;
  node: SfuNode;
  sendTransportId: string;
  recvTransportId: string;
  producerIds: Set<string>;
  consumerIds: Set<string>;
  timer: NodeJS.Timeout;
}

/** A test sends one video and maybe one audio: more is a client asking the SFU for work it does not need. */
const mostMediaPerTest = 2;
const testerRoles: ReadonlySet<string> = new Set(['clinic_doctor', 'specialist']);

/**
 * The pre-call network test's server side: a short-lived router per socket on the least-loaded SFU node, on
 * which the browser sends test media and consumes it back to measure its link. Each test is closed on stop,
 * when its socket goes, and after a hard time limit, so a browser that vanishes leaves nothing on the SFU. Starts
 * are limited per user. Outside every consultation and without patient data, so nothing goes to records.
 */
export class NetworkTests {
  readonly #options: NetworkTestsOptions;
  readonly #maxDurationMs: number;
  readonly #tests = new Map<string, RunningTest>();
  /** Each user's recent starts (times), oldest first: only the window's worth is kept. */
  readonly #starts = new Map<string, number[]>();
  readonly #serializer = new KeyedSerializer();

  constructor(options: NetworkTestsOptions) {
    this.#options = options;
    this.#maxDurationMs = options.maxDurationMs ?? 60_000;
  }

  /** A new loopback for the socket (replacing its previous one): the router's capabilities and both transports. */
  start(actor: NetworkTestActor): Promise<SignalingAck<'network-test:start'>> {
    assertTester(actor.user);
    return this.#forSocket(actor.socketId, async () => {
      this.#countStart(actor.user.id);
      await this.#end(actor.socketId);
      const node = await this.#options.nodes.choose();
      const roomId = `network-test-${randomUUID()}`;
      const { rtpCapabilities } = await node.call('createRoom', { roomId });
      try {
        const appData = { networkTest: true, participantId: actor.user.id };
        const send = await node.call('createWebRtcTransport', { roomId, direction: 'send', appData });
        const recv = await node.call('createWebRtcTransport', { roomId, direction: 'recv', appData });
        const timer = setTimeout(() => {
          void this.#forSocket(actor.socketId, () => this.#end(actor.socketId, roomId));
        }, this.#maxDurationMs);
        timer.unref();
        this.#tests.set(actor.socketId, {
          roomId,
          node,
          sendTransportId: send.transportId,
          recvTransportId: recv.transportId,
          producerIds: new Set(),
          consumerIds: new Set(),
          timer,
        });
        return { rtpCapabilities, send, recv, expiresInMs: this.#maxDurationMs };
      } catch (error) {
        await node.call('closeRoom', { roomId }).catch(ignoreGone);
        throw error;
      }
    });
  }

  connectTransport(
    actor: NetworkTestActor,
    { transportId, dtlsParameters }: SignalingParsedRequest<'network-test:connect-transport'>,
  ): Promise<SignalingAck<'network-test:connect-transport'>> {
    return this.#running(actor, async (test) => {
      if (transportId !== test.sendTransportId && transportId !== test.recvTransportId) throw notYours();
      await test.node
        .call('connectWebRtcTransport', { roomId: test.roomId, transportId, dtlsParameters })
        .catch(goneAsNotFound);
      return { done: true as const };
    });
  }

  produce(
    actor: NetworkTestActor,
    { transportId, kind, rtpParameters }: SignalingParsedRequest<'network-test:produce'>,
  ): Promise<SignalingAck<'network-test:produce'>> {
    return this.#running(actor, async (test) => {
      if (transportId !== test.sendTransportId) throw notYours();
      if (test.producerIds.size >= mostMediaPerTest) throw tooMuchMedia();
      const { producerId } = await test.node
        .call('produce', { roomId: test.roomId, transportId, kind, rtpParameters })
        .catch(goneAsNotFound);
      test.producerIds.add(producerId);
      return { producerId };
    });
  }

  consume(
    actor: NetworkTestActor,
    { producerId, rtpCapabilities }: SignalingParsedRequest<'network-test:consume'>,
  ): Promise<SignalingAck<'network-test:consume'>> {
    return this.#running(actor, async (test) => {
      // Its own producer only: the router holds nothing else, but the check says so without asking the SFU.
      if (!test.producerIds.has(producerId)) throw notYours();
      if (test.consumerIds.size >= mostMediaPerTest) throw tooMuchMedia();
      const consumer = await test.node
        .call('consume', {
          roomId: test.roomId,
          transportId: test.recvTransportId,
          producerId,
          rtpCapabilities,
        })
        .catch(goneAsNotFound);
      test.consumerIds.add(consumer.consumerId);
      return consumer;
    });
  }

  resumeConsumer(
    actor: NetworkTestActor,
    { consumerId }: SignalingParsedRequest<'network-test:resume-consumer'>,
  ): Promise<SignalingAck<'network-test:resume-consumer'>> {
    return this.#running(actor, async (test) => {
      if (!test.consumerIds.has(consumerId)) throw notYours();
      await test.node.call('resumeConsumer', { roomId: test.roomId, consumerId }).catch(goneAsNotFound);
      return { done: true as const };
    });
  }

  stop(actor: NetworkTestActor): Promise<SignalingAck<'network-test:stop'>> {
    assertTester(actor.user);
    return this.#forSocket(actor.socketId, async () => ({ stopped: await this.#end(actor.socketId) }));
  }

  /** The socket went: its test, if any, closes on the SFU. */
  socketGone(socketId: string): void {
    if (!this.#tests.has(socketId)) return;
    void this.#forSocket(socketId, () => this.#end(socketId));
  }

  /** How many tests are open on this node (for tests and load). */
  get running(): number {
    return this.#tests.size;
  }

  /** At shutdown: every open test's router closes. */
  async close(): Promise<void> {
    await Promise.all(
      [...this.#tests.keys()].map((socketId) => this.#forSocket(socketId, () => this.#end(socketId))),
    );
  }

  #running<T>(actor: NetworkTestActor, work: (test: RunningTest) => Promise<T>): Promise<T> {
    assertTester(actor.user);
    return this.#forSocket(actor.socketId, async () => {
      const test = this.#tests.get(actor.socketId);
      if (!test) {
        throw new AppError('MEDIA_OUT_OF_ORDER', {
          en: 'There is no network test running on this connection (it may have timed out); start the test again.',
          ar: 'لا يوجد فحص للشبكة قيد التشغيل على هذا الاتصال (ربما انتهت مدته)؛ ابدأ الفحص من جديد.',
        });
      }
      return work(test);
    });
  }

  /** Closes the socket's test (only `roomId`'s, when given: a timer must not close the test that replaced it). */
  async #end(socketId: string, roomId?: string): Promise<boolean> {
    const test = this.#tests.get(socketId);
    if (!test || (roomId !== undefined && test.roomId !== roomId)) return false;
    this.#tests.delete(socketId);
    clearTimeout(test.timer);
    try {
      // Closing the router closes its transports, producers and consumers.
      await test.node.call('closeRoom', { roomId: test.roomId }).catch(ignoreGone);
    } catch (error) {
      this.#options.logger.warn(
        { err: error, roomId: test.roomId },
        'closing a network test’s router failed',
      );
    }
    return true;
  }

  #countStart(userId: string): void {
    const now = Date.now();
    const windowMs = this.#options.rateWindowMs ?? 10 * 60_000;
    const limit = this.#options.startsPerWindow ?? 10;
    const recent = (this.#starts.get(userId) ?? []).filter((at) => now - at < windowMs);
    if (recent.length >= limit) {
      this.#starts.set(userId, recent);
      const waitSeconds = Math.ceil((windowMs - (now - (recent[0] ?? now))) / 1000);
      throw new AppError('RATE_LIMITED', {
        en: `You have tested your connection ${limit} times in a short while; try again in ${waitSeconds} seconds.`,
        ar: `لقد فحصت اتصالك ${limit} مرات خلال وقت قصير؛ حاول مرة أخرى بعد ${waitSeconds} ثانية.`,
      });
    }
    recent.push(now);
    this.#starts.set(userId, recent);
    // Users whose window has passed are forgotten, so the map holds only recent testers.
    for (const [user, times] of this.#starts) {
      if (times.every((at) => now - at >= windowMs)) this.#starts.delete(user);
    }
  }

  #forSocket<T>(socketId: string, work: () => Promise<T>): Promise<T> {
    return this.#serializer.run(socketId, work);
  }
}

function assertTester(user: AuthenticatedUser): void {
  if (testerRoles.has(user.role)) return;
  throw new AppError('FORBIDDEN', {
    en: 'Only clinic doctors and specialists test their connection before a consultation.',
    ar: 'يفحص اتصاله قبل الاستشارة أطباء الوحدات الصحية والأطباء الاستشاريون فقط.',
  });
}

function notYours(): AppError {
  return new AppError('MEDIA_NOT_FOUND', {
    en: 'This transport, producer or consumer is not part of your network test; start the test again.',
    ar: 'هذا الناقل أو البث ليس جزءاً من فحص الشبكة الخاص بك؛ ابدأ الفحص من جديد.',
  });
}

function tooMuchMedia(): AppError {
  return new AppError('MEDIA_OUT_OF_ORDER', {
    en: 'A network test sends at most one video and one audio; start the test again.',
    ar: 'يرسل فحص الشبكة مقطع فيديو واحداً وصوتاً واحداً على الأكثر؛ ابدأ الفحص من جديد.',
  });
}

/** The SFU no longer knows the test's router (it restarted, or the test timed out meanwhile). */
function goneAsNotFound(error: unknown): never {
  if (error instanceof AppError && (error.code === 'NOT_FOUND' || error.code === 'ROOM_NOT_FOUND'))
    throw notYours();
  throw error;
}
