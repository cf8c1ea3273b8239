import { healthOf, type Logger, type RunningService } from '@telemed/service-kit';
import { type Config, createSfuControlClient } from '@telemed/shared';
import { AccountWatch } from './auth/AccountWatch.js';
import { TokenVerifier } from './auth/TokenVerifier.js';
import { RecordsClinicalData } from './clinical/RecordsClinicalData.js';
import { SfuNodes } from './media/SfuNodes.js';
import { RecordsAccountClient } from './records/RecordsAccountClient.js';
import { RecordsAppointments } from './records/RecordsAppointments.js';
import { SignalingServer } from './SignalingServer.js';
import { RedisScaleOut } from './scale/RedisScaleOut.js';

export type SignalingConfig = Config<
  | 'HOST'
  | 'SIGNALING_PORT'
  | 'RECORDS_URL'
  | 'SFU_URL'
  | 'SFU_URLS'
  | 'SFU_CONTROL_SECRET'
  | 'SIGNALING_ACCOUNT_CHECK_SECONDS'
  | 'SIGNALING_RECOVERY_SECONDS'
  | 'SIGNALING_GONE_GRACE_SECONDS'
  | 'REDIS_URL'
>;

/** How often a node looks for the people of a killed node (they leave after `SIGNALING_GONE_GRACE_SECONDS` more). */
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
  const sfuUrls = config.SFU_URLS ?? [config.SFU_URL];
  const sfuNodes = new SfuNodes(
    sfuUrls.map((url) => ({ url, call: createSfuControlClient({ url, secret: config.SFU_CONTROL_SECRET }) })),
    logger,
  );
  // Several nodes share rooms through Redis; without it, one node keeps them in memory (what `npm start` runs).
  const scaleOut = config.REDIS_URL ? await RedisScaleOut.connect(config.REDIS_URL, logger) : undefined;
  const server = new SignalingServer({
    sfuNodes,
    verifier,
    accounts,
    appointments: new RecordsAppointments(config.RECORDS_URL),
    clinicalRecords: new RecordsClinicalData(config.RECORDS_URL),
    recoveryMs: config.SIGNALING_RECOVERY_SECONDS * 1000,
    roomStore: scaleOut?.roomStore,
    sfuPlacements: scaleOut?.sfuPlacements,
    adapter: scaleOut?.adapter,
    goneParticipantSweep: scaleOut && {
      source: scaleOut.roomStore,
      intervalMs: goneParticipantSweepMs,
      graceMs: config.SIGNALING_GONE_GRACE_SECONDS * 1000,
    },
    logger,
    readinessChecks: {
      records: healthOf(config.RECORDS_URL),
      ...Object.fromEntries(sfuUrls.map((url, i) => [i === 0 ? 'sfu' : `sfu${i + 1}`, healthOf(url)])),
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
