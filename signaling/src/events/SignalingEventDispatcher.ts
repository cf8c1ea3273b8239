import { randomUUID } from 'node:crypto';
import type { Logger } from '@telemed/service-kit';
import {
  type Ack,
  AppError,
  type AuthenticatedUser,
  isSignalingRequestName,
  objectIdSchema,
  type SignalingAck,
  type SignalingParsedRequest,
  type SignalingRefusal,
  type SignalingRequestName,
  signalingRequests,
} from '@telemed/shared';
import type { Socket } from 'socket.io';
import { onBehalfOf } from '../records/personLocale.js';
import type { SignalingSocket } from '../signalingSocket.js';
import { socketLocale } from '../socketLocale.js';
import { isAuditedRefusal } from './auditedRefusals.js';

/** Who sent an event: the socket, its user, and the access token it connected with. */
export interface EventContext {
  socket: SignalingSocket;
  user: AuthenticatedUser;
  token: string;
}

export type SignalingEventHandler<E extends SignalingRequestName> = (
  context: EventContext,
  payload: SignalingParsedRequest<E>,
) => Promise<SignalingAck<E>> | SignalingAck<E>;

/** One handler per request of the table: adding an event to the table without a handler breaks the build. */
export type SignalingEventHandlers = { [E in SignalingRequestName]: SignalingEventHandler<E> };

const longestEchoedName = 40;

/** Where signaling's own refusals go: records' audit trail, written as the refused user (their token). */
export interface RefusalReporter {
  reportRefusal(token: string, refusal: SignalingRefusal): Promise<void>;
}

/**
 * Reports one socket has waiting for records at most: a client that sends refused events as fast as it can
 * cannot turn signaling into a flood of records calls (records throttles what it writes per user anyway, so
 * beyond this the trail loses nothing it would have written one by one). A client that is merely wrong, a
 * few refused events in a row, stays far below it.
 */
const reportsInFlightPerSocket = 32;

/**
 * The one door of every client event. It validates the payload with the shared table before any handler runs,
 * and answers every event that has an ack: with the handler's data, or with an error from the catalog (a bad
 * payload, a refusal, records' answer). A missing or throwing ack, an unknown event or a failing handler never
 * reaches the process: an error that is not an AppError is logged and answered as INTERNAL.
 */
export class SignalingEventDispatcher {
  readonly #handlers: SignalingEventHandlers;
  readonly #logger: Logger;
  readonly #refusals: RefusalReporter | undefined;
  readonly #reportsInFlight = new WeakMap<SignalingSocket, number>();

  constructor(handlers: SignalingEventHandlers, logger: Logger, refusals?: RefusalReporter) {
    this.#handlers = handlers;
    this.#logger = logger;
    this.#refusals = refusals;
  }

  attach(socket: SignalingSocket): void {
    // The table's names are checked at run time, so the untyped side of the socket is enough here.
    const untyped = socket as unknown as Socket;
    untyped.onAny((event: unknown, ...args: unknown[]) => {
      if (isSignalingRequestName(event)) {
        void this.#dispatch(socket, event, args);
        return;
      }
      const name = typeof event === 'string' ? event.slice(0, longestEchoedName) : typeof event;
      reply(ackOf(args), {
        ok: false,
        ...new AppError('NOT_FOUND', {
          en: `There is no event named "${name}".`,
          ar: `لا يوجد حدث باسم "${name}"؛ حدّث التطبيق ثم أعد المحاولة.`,
        }).toBody(socketLocale(socket)),
      });
    });
  }

  async #dispatch<E extends SignalingRequestName>(
    socket: SignalingSocket,
    event: E,
    args: unknown[],
  ): Promise<void> {
    const ack = ackOf(args);
    const entry = signalingRequests[event];
    const context: EventContext = {
      socket,
      user: socket.data.user,
      token: String(socket.handshake.auth?.token),
    };
    let payload: unknown;
    const requestId = randomUUID();
    const startedAt = performance.now();
    let outcome = 'ok';
    try {
      if (entry.request !== null) {
        const parsed = entry.request.safeParse(args[0] === ack ? undefined : args[0]);
        if (!parsed.success) throw AppError.fromZod(parsed.error, `${event} payload`);
        payload = parsed.data;
      }
      const handler = this.#handlers[event] as SignalingEventHandler<E>;
      const data = await onBehalfOf(
        socketLocale(socket),
        () => handler(context, payload as SignalingParsedRequest<E>),
        requestId,
      );
      // The answer is held to the table too: a handler that drifts from the contract is a bug, logged here.
      const answer = entry.ack.safeParse(data);
      if (!answer.success)
        throw new Error(`${event} answered outside its ack schema: ${answer.error.message}`);
      reply(ack, { ok: true, data: answer.data });
    } catch (error) {
      if (!(error instanceof AppError)) {
        this.#logger.error({ err: error, event, socketId: socket.id }, 'socket event failed');
      }
      const appError = error instanceof AppError ? error : new AppError('INTERNAL');
      outcome = appError.code;
      reply(ack, { ok: false, ...appError.toBody(socketLocale(socket)) });
      if (isAuditedRefusal(appError)) this.#report(context, event, payload, appError);
    } finally {
      // One line per event, as records writes one per request: the event's name, never its payload.
      this.#logger.info(
        {
          requestId,
          event,
          outcome,
          durationMs: Math.round(performance.now() - startedAt),
          userId: context.user.id,
          socketId: socket.id,
        },
        `${event} ${outcome}`,
      );
    }
  }

  /** After the answer, never before it: the refused client waits for no audit write. */
  #report(context: EventContext, event: SignalingRequestName, payload: unknown, error: AppError): void {
    if (!this.#refusals) return;
    const { socket, user, token } = context;
    const inFlight = this.#reportsInFlight.get(socket) ?? 0;
    const refusal: SignalingRefusal = {
      event,
      code: error.code,
      message: error.message.slice(0, 300),
      ...appointmentOf(payload),
    };
    if (inFlight >= reportsInFlightPerSocket) {
      this.#logger.warn({ userId: user.id, socketId: socket.id, refusal }, 'refusal not reported: too many');
      return;
    }
    this.#reportsInFlight.set(socket, inFlight + 1);
    this.#refusals
      .reportRefusal(token, refusal)
      .catch((reportError: unknown) =>
        // The refusal stands; only its record is missing, which the log says.
        this.#logger.warn({ err: reportError, userId: user.id, refusal }, 'could not audit a refusal'),
      )
      .finally(() => this.#reportsInFlight.set(socket, (this.#reportsInFlight.get(socket) ?? 1) - 1));
  }
}

/** The room a validated payload names, if any. */
function appointmentOf(payload: unknown): { appointmentId?: string } {
  if (typeof payload !== 'object' || payload === null || !('appointmentId' in payload)) return {};
  const parsed = objectIdSchema.safeParse(payload.appointmentId);
  return parsed.success ? { appointmentId: parsed.data } : {};
}

type AnyAck = (result: Ack<unknown>) => void;

/** Socket.IO passes the ack as the last argument, when the client asked for one. */
function ackOf(args: unknown[]): AnyAck | undefined {
  const last = args.at(-1);
  return typeof last === 'function' ? (last as AnyAck) : undefined;
}

function reply<T>(ack: AnyAck | undefined, result: Ack<T>): void {
  if (!ack) return;
  try {
    ack(result);
  } catch {
    // The ack is Socket.IO's own function; nothing a client sends can make it throw, but nothing may escape.
  }
}
