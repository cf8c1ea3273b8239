import { healthOf, type Logger, type RunningService } from '@telemed/service-kit';
import type { Config } from '@telemed/shared';
import { AccountWatch } from './auth/AccountWatch.js';
import { TokenVerifier } from './auth/TokenVerifier.js';
import { RecordsAccountClient } from './records/RecordsAccountClient.js';
import { RecordsAppointments } from './records/RecordsAppointments.js';
import { SignalingServer } from './SignalingServer.js';
import { RedisScaleOut } from './scale/RedisScaleOut.js';

export type SignalingConfig = Config<
  'HOST' | 'SIGNALING_PORT' | 'RECORDS_URL' | 'SFU_URL' | 'SIGNALING_ACCOUNT_CHECK_SECONDS' | 'REDIS_URL'
>;

/** How soon, at most, the people of a killed node leave the shared rooms (twice this, worst case). */
const goneParticipantSweepMs = 10_000;

export interface RunningSignalingService extends RunningService {
  url: string;
}

export async function startSignalingService(
  config: SignalingConfig,
  logger: Logger,
): Promise<RunningSignalingService> {
  const verifier = new TokenVerifier(new URL('/.well-known/jwks.json', config.RECORDS_URL));
  const accounts = new AccountWatch({
    accounts: new RecordsAccountClient(config.RECORDS_URL),
    intervalMs: config.SIGNALING_ACCOUNT_CHECK_SECONDS * 1000,
    logger,
  });
  // Several nodes share rooms through Redis; without it, one node keeps them in memory (what `npm start` runs).
  const scaleOut = config.REDIS_URL ? await RedisScaleOut.connect(config.REDIS_URL, logger) : undefined;
  const server = new SignalingServer({
    verifier,
    accounts,
    appointments: new RecordsAppointments(config.RECORDS_URL),
    roomStore: scaleOut?.roomStore,
    adapter: scaleOut?.adapter,
    goneParticipantSweep: scaleOut && { source: scaleOut.roomStore, intervalMs: goneParticipantSweepMs },
    logger,
    readinessChecks: {
      records: healthOf(config.RECORDS_URL),
      sfu: healthOf(config.SFU_URL),
      ...(scaleOut ? { redis: scaleOut.readiness } : {}),
    },
  });
  try {
    const url = await server.listen(config.SIGNALING_PORT, config.HOST);
    logger.info({ url, nodes: scaleOut ? 'redis' : 'single' }, 'signaling server listening');
    return {
      url,
      stop: async () => {
        // The server first: its sockets' leaves still write to Redis.
        await server.close();
        await scaleOut?.close();
      },
    };
  } catch (error) {
    await scaleOut?.close();
    throw error;
  }
}
