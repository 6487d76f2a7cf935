// pino's call shape (context first, then message), so pino can replace the console
// logger later without touching call sites.
export type LogContext = Record<string, unknown>;

export interface Logger {
  debug(context: LogContext, message: string): void;
  info(context: LogContext, message: string): void;
  warn(context: LogContext, message: string): void;
  error(context: LogContext, message: string): void;
}

export const consoleLogger: Logger = {
  debug: () => {},
  info: (context, message) => console.log(message, formatContext(context)),
  warn: (context, message) => console.warn(message, formatContext(context)),
  error: (context, message) => console.error(message, formatContext(context)),
};

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

function formatContext(context: LogContext): string {
  const parts = Object.entries(context).map(([key, value]) => {
    if (value instanceof Error) return `${key}=${value.stack ?? value.message}`;
    return `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
  });
  return parts.join(' ');
}
