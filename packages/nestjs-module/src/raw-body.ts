/**
 * The raw-body check. A notification's signature is verified over the exact text the platform sent
 * (PROTOCOL §3, §5), so a body parser that turned it into an object without keeping the bytes makes
 * every notification fail. We want that mistake at start-up, not as signature mismatches later.
 *
 * How Nest records it: `rawBody` is an application option (`NestFactory.create(AppModule, { rawBody:
 * true })`, `moduleRef.createNestApplication({ rawBody: true })`) that Nest keeps on the
 * `NestApplication` only — not in `ApplicationConfig`, and not in the container when a testing
 * module creates the application. `NestApplication.init()` hands it to the HTTP adapter as the
 * second argument of `registerParserMiddleware(prefix, rawBody)` (the default JSON and urlencoded
 * parsers; skipped with `bodyParser: false`) and of `useBodyParser(type, rawBody, …)`
 * (`app.useBodyParser()`). The adapter is published to providers through `HttpAdapterHost.init$`
 * before `init()` runs, so the module records those two calls (passing them through unchanged)
 * and decides at `onModuleInit`, which runs after the parsers were registered.
 */

const RECORD = Symbol.for('@mmsp/nestjs-module:body-parsers');

export interface BodyParserRecord {
  /** `rawBody` as passed by Nest with each parser registration. */
  calls: { method: 'registerParserMiddleware' | 'useBodyParser'; rawBody: boolean }[];
}

type AdapterLike = Record<string | symbol, unknown> & { getType?: () => string };

/** Wraps the adapter's two parser registrations once (idempotent); returns the shared record. */
export function recordBodyParsers(adapter: object): BodyParserRecord {
  const a = adapter as AdapterLike;
  const existing = a[RECORD] as BodyParserRecord | undefined;
  if (existing) return existing;
  const record: BodyParserRecord = { calls: [] };
  Object.defineProperty(a, RECORD, { value: record, enumerable: false });
  for (const method of ['registerParserMiddleware', 'useBodyParser'] as const) {
    const original = a[method];
    if (typeof original !== 'function') continue;
    a[method] = function (this: unknown, ...args: unknown[]) {
      record.calls.push({ method, rawBody: args[1] === true });
      return (original as (...x: unknown[]) => unknown).apply(this, args);
    };
  }
  return record;
}

export const RAW_BODY_FIX =
  'Create the application with the raw body kept: NestFactory.create(AppModule, { rawBody: true }) ' +
  '(Fastify: NestFactory.create(AppModule, new FastifyAdapter(), { rawBody: true }); ' +
  'with @nestjs/testing: moduleRef.createNestApplication({ rawBody: true }) or createNestApplication(new FastifyAdapter(), { rawBody: true })). ' +
  'If this application does not receive MMSP notifications, pass notifyPath: false to MmspModule.';

/**
 * `undefined` when notifications can be verified, otherwise the reason and the fix.
 * `record` is `undefined` when the adapter was not seen before `init()` (then we cannot tell).
 */
export function rawBodyProblem(platform: string | undefined, record: BodyParserRecord | undefined): string | undefined {
  if (!record) return undefined;
  const withoutRaw = record.calls.find((c) => !c.rawBody);
  if (withoutRaw) {
    return `MmspModule: the application parses request bodies without keeping the raw body (rawBody is off), so MMSP notification signatures could never be verified (they are computed over the exact text the platform sent). ${RAW_BODY_FIX}`;
  }
  if (platform === 'fastify' && record.calls.length === 0) {
    // Fastify parses JSON itself when Nest registers no parser (bodyParser: false).
    return `MmspModule: on Fastify the notification route needs Nest's body parsers with rawBody (bodyParser: false leaves Fastify's own JSON parser, which keeps no raw body). ${RAW_BODY_FIX}`;
  }
  return undefined;
}

/** The request shape Express and Fastify share for bodies (`rawBody` from Nest's parsers). */
export interface ParsedRequest {
  body?: unknown;
  rawBody?: unknown;
}

/** A parser turned the body into an object and kept no raw copy: the signature cannot be checked. */
export function bodyWasParsed(req: ParsedRequest): boolean {
  if (req.rawBody !== undefined) return false;
  const body = req.body;
  return body !== undefined && body !== null && typeof body === 'object' && !(body instanceof Uint8Array);
}
