import { pino, type Level } from 'pino';

// Structured logs: pino's call shape (context first, then message). Errors go under
// `err` so pino serialises their stack.
export type LogContext = Record<string, unknown>;

export interface Logger {
  debug(context: LogContext, message: string): void;
  info(context: LogContext, message: string): void;
  warn(context: LogContext, message: string): void;
  error(context: LogContext, message: string): void;
}

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = Level | 'silent';

/** JSON lines on stdout (pipe through `pino-pretty` to read them by eye). */
export function createLogger(level: LogLevel = 'info'): Logger {
  return pino({ level, base: { service: 'stratboard-server' } });
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
