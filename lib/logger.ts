import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logger for one process; secrets are redacted wherever they appear. */
export function createLogger(name: string, level: string = 'info'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['*.apiKey', '*.authorization', '*.secret', '*.password', 'headers.authorization', 'headers["x-api-key"]', 'headers["x-reviewgraph-context"]'],
      censor: '[redacted]',
    },
  });
}
