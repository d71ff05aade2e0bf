/**
 * Logging. The client logs through a `Logger` the merchant passes (pino, winston and console all
 * fit this shape); every line goes through the redactor first, so a secret or card number never
 * reaches a log (redact.ts).
 */
import type { Redactor } from './redact.js';

/** The levels the client logs at. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** One level's method: a message and optional structured fields (both already redacted). */
export type LogMethod = (message: string, meta?: Record<string, unknown>) => void;
/**
 * Where the client logs (`ClientConfig.logger`): any object with some of `debug`, `info`, `warn`,
 * `error` (pino, winston and `console` all fit). Every line goes through the redactor first, so a
 * key or card number never reaches a log; a logger that throws never breaks a payment.
 *
 * @example
 * ```ts
 * import type { Logger } from '@mmsp/client';
 *
 * const logger: Logger = {
 *   info: (message, meta) => console.log(JSON.stringify({ level: 'info', message, ...meta })),
 *   warn: (message, meta) => console.warn(JSON.stringify({ level: 'warn', message, ...meta })),
 * };
 * ```
 */
export type Logger = Partial<Record<LogLevel, LogMethod>>;

/** Default: warnings and errors to the console (present in every runtime), nothing else. */
export const consoleLogger: Logger = {
  warn: (message, meta) => (meta ? console.warn(`[mmsp] ${message}`, meta) : console.warn(`[mmsp] ${message}`)),
  error: (message, meta) => (meta ? console.error(`[mmsp] ${message}`, meta) : console.error(`[mmsp] ${message}`)),
};

export const silentLogger: Logger = {};

export interface SafeLogger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
  /** Warn at most once per `key` for the life of this logger. */
  warnOnce(key: string, message: string, meta?: Record<string, unknown>): void;
}

export function createSafeLogger(logger: Logger, redactor: Redactor): SafeLogger {
  const warned = new Set<string>();
  const emit = (level: LogLevel, message: string, meta?: Record<string, unknown>) => {
    const method = logger[level];
    if (typeof method !== 'function') return;
    try {
      const safeMeta = meta === undefined ? undefined : (redactor.value(meta) as Record<string, unknown>);
      method.call(logger, redactor.text(message), safeMeta);
    } catch {
      // A logger that throws must never break a payment.
    }
  };
  return {
    debug: (m, meta) => emit('debug', m, meta),
    info: (m, meta) => emit('info', m, meta),
    warn: (m, meta) => emit('warn', m, meta),
    error: (m, meta) => emit('error', m, meta),
    warnOnce(key, m, meta) {
      if (warned.has(key)) return;
      warned.add(key);
      emit('warn', m, meta);
    },
  };
}
