import { freePorts } from '@telemed/service-kit';
import { type StartPlatformOptions, startPlatform } from './startPlatform.js';

export interface FreePortsOptions extends Omit<StartPlatformOptions, 'env'> {
  /** How many UDP ports the SFU may use for media: a load bench wants more than a browser test. */
  rtcPortCount?: number;
}

/**
 * The whole platform as `npm start` runs it, on free ports and in `dataDir`, so that tests and benches can run
 * while another platform (or a developer's `npm start`) holds the default ports. `env` adds to or overrides
 * the rest.
 */
export async function startPlatformOnFreePorts(
  dataDir: string,
  env: Record<string, string> = {},
  { rtcPortCount = 200, ...options }: FreePortsOptions = {},
) {
  const [mongo, records, signaling, sfu, clinic, specialist, admin, rtcMin = 40000] = await freePorts(8);
  return startPlatform({
    ...options,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      EMBEDDED_MONGO_PORT: String(mongo),
      RECORDS_PORT: String(records),
      SIGNALING_PORT: String(signaling),
      SFU_PORT: String(sfu),
      CLINIC_APP_PORT: String(clinic),
      SPECIALIST_APP_PORT: String(specialist),
      ADMIN_APP_PORT: String(admin),
      SFU_RTC_MIN_PORT: String(rtcMin),
      SFU_RTC_MAX_PORT: String(Math.min(65535, rtcMin + rtcPortCount)),
      ...env,
    },
  });
}
