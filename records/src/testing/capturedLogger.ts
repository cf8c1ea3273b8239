import type { Logger } from '@telemed/service-kit';
import { pino } from 'pino';

/** A log line as pino writes it: `level` is 30 info, 40 warn, 50 error; an `err` carries the stack. */
export interface LogLine {
  level: number;
  msg?: string;
  err?: { stack?: string };
  [key: string]: unknown;
}

/** A real pino logger at debug level whose lines are kept in memory, for tests that check what is logged. */
export function capturedLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
  return { logger, lines };
}
