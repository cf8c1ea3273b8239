import { healthOf, type Logger, type RunningService } from '@telemed/service-kit';
import type { Config } from '@telemed/shared';
import { TokenVerifier } from './auth/TokenVerifier.js';
import { SignalingServer } from './SignalingServer.js';

export type SignalingConfig = Config<'HOST' | 'SIGNALING_PORT' | 'RECORDS_URL' | 'SFU_URL'>;

export interface RunningSignalingService extends RunningService {
  url: string;
}

export async function startSignalingService(
  config: SignalingConfig,
  logger: Logger,
): Promise<RunningSignalingService> {
  const verifier = new TokenVerifier(new URL('/.well-known/jwks.json', config.RECORDS_URL));
  const server = new SignalingServer({
    verifier,
    logger,
    readinessChecks: {
      records: healthOf(config.RECORDS_URL),
      sfu: healthOf(config.SFU_URL),
    },
  });
  const url = await server.listen(config.SIGNALING_PORT, config.HOST);
  logger.info({ url }, 'signaling server listening');
  return { url, stop: () => server.close() };
}
