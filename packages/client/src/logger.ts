/**
 * Logging. The client logs through a `Logger` the merchant passes (pino, winston and console all
 * fit this shape); every line goes through the redactor first, so a secret or card number never
 * reaches a log (redact.ts).
 */
import type { Redactor } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogMethod = (message: string, meta?: Record<string, unknown>) => void;
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
