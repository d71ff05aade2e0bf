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
 * | MmspConfigError, other| 500    | the merchant's configuration; details stay in the server log      |
 *
 * Messages of these errors never carry a secret or card data (issue #3); business error bodies are
 * not copied into the answer.
 */
import { Catch, HttpStatus, Inject, Logger, Optional, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  MmspBusinessError,
  MmspConfigError,
  MmspEncodingError,
  MmspError,
  MmspProtocolError,
  MmspSignatureError,
  MmspTransportError,
  MmspValidationError,
} from '@mmsp/client';

export interface MmspErrorResponse {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  issues?: { field: string; rule: string; message: string }[];
  platformCode?: string;
  meaning?: string;
  mayHaveReachedPlatform?: boolean;
}

/** The HTTP answer for an SDK error (exported for custom filters). */
export function mmspErrorResponse(error: MmspError): MmspErrorResponse {
  const base = (statusCode: number, name: string, message = error.message): MmspErrorResponse => ({ statusCode, error: name, code: error.code, message });
  if (error instanceof MmspValidationError) {
    return { ...base(HttpStatus.BAD_REQUEST, 'Bad Request'), issues: error.issues.map(({ field, rule, message }) => ({ field, rule, message })) };
  }
  if (error instanceof MmspBusinessError) {
    return {
      ...base(HttpStatus.UNPROCESSABLE_ENTITY, 'Unprocessable Entity'),
      platformCode: error.platformCode,
      ...(error.meaning !== undefined ? { meaning: error.meaning } : {}),
    };
  }
  if (error instanceof MmspSignatureError || error instanceof MmspProtocolError || error instanceof MmspEncodingError) {
    return base(HttpStatus.BAD_GATEWAY, 'Bad Gateway');
  }
  if (error instanceof MmspTransportError) {
    return {
      ...base(HttpStatus.GATEWAY_TIMEOUT, 'Gateway Timeout'),
      mayHaveReachedPlatform: error.mayHaveReachedPlatform,
    };
  }
  // MmspConfigError and anything else: the server's problem; the details are logged, not answered.
  return base(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal Server Error', error instanceof MmspConfigError ? 'payment configuration error' : 'payment error');
}

@Catch(MmspError)
export class MmspExceptionFilter implements ExceptionFilter<MmspError> {
  private readonly logger = new Logger('MmspExceptionFilter');

  constructor(@Optional() @Inject(HttpAdapterHost) private readonly adapterHost?: HttpAdapterHost) {}

  catch(error: MmspError, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const adapter = this.adapterHost?.httpAdapter;
    if (!adapter) throw error;
    const body = mmspErrorResponse(error);
    if (body.statusCode >= 500) this.logger.error(`${error.name}: ${error.message}`, error.stack);
    adapter.reply(host.switchToHttp().getResponse(), body, body.statusCode);
  }
}
