/**
 * Logging. The client logs through a `Logger` the merchant passes; every line goes through the
 * redactor first, so a secret or card number never reaches a log (redact.ts). Two calling
 * conventions exist (issue #15 item 5): console / winston style `warn(message, fields)` and
 * pino / bunyan style `warn(fields, message)`. pino and bunyan loggers are recognised by their own
 * markers and called fields first, so their JSON lines keep the fields; any other object-first
 * logger is wrapped in {@link objectFirstLogger}.
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

type ObjectFirstMethod = (fields: Record<string, unknown>, message: string) => void;
/** A logger whose methods take the fields first, then the message (pino, bunyan). */
export type ObjectFirstLoggerTarget = Partial<Record<LogLevel, ObjectFirstMethod>>;

const OBJECT_FIRST = Symbol.for('mmsp.logger.objectFirst');

/**
 * Wraps a logger whose methods take the fields first (`warn({ operation }, 'message')`, as pino
 * and bunyan do) so that the client's fields stay fields. pino and bunyan loggers are recognised
 * without it (pino's `Symbol.for('pino.serializers')` or `levels.values`, bunyan's `fields` and
 * `streams`); use it for any other object-first logger, or to be explicit.
 *
 * @example
 * ```ts
 * import { objectFirstLogger, type Logger } from '@mmsp/client';
 *
 * declare const myLogger: { warn(fields: object, message: string): void; error(fields: object, message: string): void };
 * const logger: Logger = objectFirstLogger(myLogger); // ClientConfig.logger
 * ```
 */
export function objectFirstLogger(target: ObjectFirstLoggerTarget): Logger {
  const out: Logger & { [OBJECT_FIRST]?: true } = {};
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof target[level] === 'function')
      out[level] = (message, meta) => target[level]!.call(target, meta ?? {}, message);
  }
  Object.defineProperty(out, OBJECT_FIRST, { value: true });
  return out;
}

/**
 * True for pino and bunyan loggers (fields first). winston also has `levels` and `child` but takes
 * the message first: pino's `levels` is `{ values, labels }`, winston's a plain map of numbers.
 */
export function isObjectFirstLogger(logger: unknown): boolean {
  if (logger === null || typeof logger !== 'object') return false;
  const l = logger as Record<string | symbol, unknown> & { levels?: { values?: unknown; labels?: unknown } };
  if (l[Symbol.for('pino.serializers')] !== undefined) return true;
  if (
    typeof l.child === 'function' &&
    l.levels !== null &&
    typeof l.levels === 'object' &&
    typeof l.levels.values === 'object' &&
    typeof l.levels.labels === 'object'
  )
    return true; // pino
  if (typeof l.child === 'function' && l.fields !== null && typeof l.fields === 'object' && Array.isArray(l.streams))
    return true; // bunyan
  return false;
}

export interface SafeLogger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
  /** Warn at most once per `key` for the life of this logger. */
  warnOnce(key: string, message: string, meta?: Record<string, unknown>): void;
  /** True when the logger has a method for `level` now: a caller builds a message and its fields only then. */
  wants(level: LogLevel): boolean;
}

export function createSafeLogger(given: Logger, redactor: Redactor): SafeLogger {
  const warned = new Set<string>();
  const logger = isObjectFirstLogger(given) ? objectFirstLogger(given as ObjectFirstLoggerTarget) : given;
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
    wants: (level) => typeof logger[level] === 'function',
    warnOnce(key, m, meta) {
      if (warned.has(key)) return;
      warned.add(key);
      emit('warn', m, meta);
    },
  };
}
