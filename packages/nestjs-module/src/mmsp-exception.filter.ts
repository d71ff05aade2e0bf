/**
 * `MmspExceptionFilter` (optional) for merchants who expose checkout endpoints: the typed errors of
 * `@mmsp/client` as HTTP answers, on Express and Fastify (`HttpAdapterHost.httpAdapter.reply`).
 *
 *   app.useGlobalFilters(new MmspExceptionFilter(app.get(HttpAdapterHost)));   // or @UseFilters / APP_FILTER
 *
 * | error                 | status | why                                                              |
 * |-----------------------|--------|------------------------------------------------------------------|
 * | MmspValidationError   | 400    | the request body breaks the document's rules (`issues` listed)   |
 * | MmspBusinessError     | 422    | the platform understood and refused (`platformCode`, `meaning`)   |
 * | MmspSignatureError    | 502    | the platform's answer failed verification: not trusted           |
 * | MmspProtocolError     | 502    | negative response / RetCode ≠ 1                                  |
 * | MmspEncodingError     | 502    | an answer that could not be read                                  |
 * | MmspTransportError    | 504    | no answer; `mayHaveReachedPlatform` says whether to query first   |
 * | MmspOutcomeUnknownError | 504  | a money-moving request's outcome is unknown: query, never resend  |
 * | MmspConfigError, other| 500    | the merchant's configuration; details stay in the server log      |
 *
 * Messages of these errors never carry a secret or card data (issue #3); upstream failures (5xx)
 * are answered with a fixed sentence and logged in full; business error bodies are not copied.
 */
import { Catch, HttpStatus, Inject, Logger, Optional, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  MmspBusinessError,
  MmspConfigError,
  MmspEncodingError,
  MmspError,
  MmspOutcomeUnknownError,
  MmspProtocolError,
  MmspSignatureError,
  MmspTransportError,
  MmspValidationError,
} from '@mmsp/client';

/**
 * The JSON body {@link MmspExceptionFilter} answers for an SDK error ({@link mmspErrorResponse}).
 * Never a secret or card data; upstream failures (5xx) carry a fixed sentence, the details go to the server log.
 */
export interface MmspErrorResponse {
  /** HTTP status: 400 validation, 422 business refusal, 502 untrusted or negative answer, 504 no answer, 500 configuration and other errors. */
  statusCode: number;
  /** The status's reason phrase, e.g. `Unprocessable Entity`. */
  error: string;
  /** The SDK error's `code`. */
  code: string;
  /** What went wrong, for the caller (a fixed sentence for 5xx). */
  message: string;
  /** `MmspValidationError`: every field problem, without values. */
  issues?: { field: string; rule: string; message: string }[];
  /** `MmspBusinessError`: the platform's code (`ERRCODE`, `RETCODE`, …). */
  platformCode?: string;
  /** `MmspBusinessError`: what the document says the code means. */
  meaning?: string;
  /** `MmspTransportError`: whether the request may have reached the platform (then query the order before trying again). */
  mayHaveReachedPlatform?: boolean;
}

/** The HTTP answer for an SDK error (exported for custom filters). */
export function mmspErrorResponse(error: MmspError): MmspErrorResponse {
  const base = (statusCode: number, name: string, message = error.message): MmspErrorResponse => ({
    statusCode,
    error: name,
    code: error.code,
    message,
  });
  if (error instanceof MmspValidationError) {
    return {
      ...base(HttpStatus.BAD_REQUEST, 'Bad Request'),
      issues: error.issues.map(({ field, rule, message }) => ({ field, rule, message })),
    };
  }
  if (error instanceof MmspBusinessError) {
    return {
      ...base(HttpStatus.UNPROCESSABLE_ENTITY, 'Unprocessable Entity'),
      platformCode: error.platformCode,
      ...(error.meaning !== undefined ? { meaning: error.meaning } : {}),
    };
  }
  // Upstream failures: the details (endpoint, platform text) go to the server log, not to the caller.
  if (error instanceof MmspSignatureError || error instanceof MmspProtocolError || error instanceof MmspEncodingError) {
    return base(
      HttpStatus.BAD_GATEWAY,
      'Bad Gateway',
      'the payment platform answered with an error or an answer that cannot be trusted',
    );
  }
  if (error instanceof MmspOutcomeUnknownError) {
    return {
      ...base(
        HttpStatus.GATEWAY_TIMEOUT,
        'Gateway Timeout',
        'the outcome of the payment is unknown: it may have been carried out; query the order, never resend it under a new order number',
      ),
      mayHaveReachedPlatform: true,
    };
  }
  if (error instanceof MmspTransportError) {
    return {
      ...base(
        HttpStatus.GATEWAY_TIMEOUT,
        'Gateway Timeout',
        error.mayHaveReachedPlatform
          ? 'no answer from the payment platform; the request may have reached it: query the order before trying again'
          : 'the payment platform could not be reached; nothing was sent',
      ),
      mayHaveReachedPlatform: error.mayHaveReachedPlatform,
    };
  }
  // MmspConfigError and anything else: the server's problem; the details are logged, not answered.
  return base(
    HttpStatus.INTERNAL_SERVER_ERROR,
    'Internal Server Error',
    error instanceof MmspConfigError ? 'payment configuration error' : 'payment error',
  );
}

/**
 * An optional exception filter for merchants who expose checkout endpoints: the typed errors of
 * `@mmsp/client` as HTTP answers ({@link MmspErrorResponse}), on Express and Fastify —
 * `MmspValidationError` 400 (with `issues`), `MmspBusinessError` 422 (`platformCode`, `meaning`),
 * `MmspSignatureError` / `MmspProtocolError` / `MmspEncodingError` 502, `MmspTransportError` 504
 * (`mayHaveReachedPlatform`), `MmspConfigError` and any other `MmspError` 500 (details only in the
 * server log). Only HTTP contexts are handled; others rethrow.
 *
 * @example
 * ```ts
 * import { Module } from '@nestjs/common';
 * import { APP_FILTER } from '@nestjs/core';
 * import { MmspExceptionFilter } from '@mmsp/nestjs-module';
 *
 * @Module({ providers: [{ provide: APP_FILTER, useClass: MmspExceptionFilter }] })
 * class CheckoutModule {}
 * // or: app.useGlobalFilters(new MmspExceptionFilter(app.get(HttpAdapterHost)));
 * ```
 */
@Catch(MmspError)
export class MmspExceptionFilter implements ExceptionFilter<MmspError> {
  private readonly logger = new Logger('MmspExceptionFilter');

  /** @param adapterHost - Nest's `HttpAdapterHost` (injected); without it the answer goes through the Express or Fastify response object. */
  constructor(@Optional() @Inject(HttpAdapterHost) private readonly adapterHost?: HttpAdapterHost) {}

  /** Answers `error` as {@link mmspErrorResponse} says; logs 5xx in full. */
  catch(error: MmspError, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const body = mmspErrorResponse(error);
    if (body.statusCode >= 500) this.logger.error(`${error.name}: ${error.message}`, error.stack);
    const response: unknown = host.switchToHttp().getResponse();
    const adapter = this.adapterHost?.httpAdapter;
    if (adapter) {
      adapter.reply(response, body, body.statusCode);
      return;
    }
    // `new MmspExceptionFilter()` without the adapter host: answer through the response object.
    const r = response as {
      status?: (s: number) => { json: (b: unknown) => void };
      code?: (s: number) => { send: (b: unknown) => void };
    };
    if (typeof r.code === 'function')
      r.code(body.statusCode).send(body); // Fastify reply
    else if (typeof r.status === 'function')
      r.status(body.statusCode).json(body); // Express response
    else throw error;
  }
}
