import { type Config, ConfigError, loadConfig } from '@telemed/shared';

export const sfuConfigNames = [
  'HOST',
  'LOG_LEVEL',
  'SFU_PORT',
  'SFU_CONTROL_SECRET',
  'SFU_ENGINE',
  'MEDIASOUP_WORKER_BIN',
  'SFU_LISTEN_IP',
  'SFU_ANNOUNCED_IP',
  'SFU_RTC_MIN_PORT',
  'SFU_RTC_MAX_PORT',
  'SFU_MIN_VIDEO_BITRATE',
  'SFU_INITIAL_OUTGOING_BITRATE',
  'TURN_URLS',
  'TURN_SECRET',
] as const;

export type SfuConfig = Config<(typeof sfuConfigNames)[number]>;

/** Reads the SFU's variables; also checks what one variable alone cannot (port order, a usable candidate address). */
export function loadSfuConfig(env: Record<string, string | undefined> = process.env): SfuConfig {
  const config = loadConfig(sfuConfigNames, env);
  const problems: string[] = [];
  if (config.SFU_RTC_MIN_PORT > config.SFU_RTC_MAX_PORT) {
    problems.push(
      `SFU_RTC_MIN_PORT (${config.SFU_RTC_MIN_PORT}) must not be greater than SFU_RTC_MAX_PORT (${config.SFU_RTC_MAX_PORT}).`,
    );
  }
  if (config.SFU_LISTEN_IP === '0.0.0.0' && !config.SFU_ANNOUNCED_IP) {
    problems.push(
      'SFU_LISTEN_IP=0.0.0.0 needs SFU_ANNOUNCED_IP: browsers cannot reach 0.0.0.0 in an ICE candidate.',
    );
  }
  if (config.TURN_SECRET && !config.TURN_URLS) problems.push('TURN_SECRET is set but TURN_URLS is not.');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
