/**
 * The notification route. At `onModuleInit` (after Nest registered its body parsers and its own
 * routes, before the 404 handler and before listening) this provider:
 *   1. checks that the raw body is kept (raw-body.ts) — or fails start-up saying how to fix it;
 *   2. finds every `@MmspNotificationHandler()` method with `DiscoveryService` + `MetadataScanner`
 *      + `Reflector` (metadata only, golevelup style);
 *   3. mounts `POST notifyPath` directly on the HTTP adapter (`HttpAdapterHost`, Express and
 *      Fastify alike). A controller's path is fixed when its class is decorated; a route on the
 *      adapter takes the configured path, and it stays outside Nest's pipeline on purpose: a
 *      global guard (auth), interceptor (response wrapping) or pipe must never stand between the
 *      platform and the exact `SUCCESS` text it waits for.
 * The HTTP work (raw body or stream, size limit, content type) is `@mmsp/http-node`'s
 * `createNotificationHandler`; the answer is `client.notifications.handle`'s decision.
 */
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, HttpAdapterHost, MetadataScanner, Reflector } from '@nestjs/core';
import { MmspConfigError, MmspError, type NotificationDecision, type PaidEvent } from '@mmsp/client';
import { createNotificationHandler } from '@mmsp/http-node';
import { discoverHandlers, type DiscoveredHandler } from './handler-discovery.js';
import { MMSP_RESOLVED_OPTIONS } from './mmsp.tokens.js';
import type { ResolvedMmspOptions } from './mmsp.options.js';
import { describeFilter, filterMatches } from './notification-filter.js';
import {
  RAW_BODY_FIX,
  bodyWasParsed,
  rawBodyProblem,
  recordBodyParsers,
  type BodyParserRecord,
  type ParsedRequest,
} from './raw-body.js';

@Injectable()
export class MmspNotificationsHost implements OnModuleInit {
  private readonly logger = new Logger('MmspModule');
  private bodyParsers: BodyParserRecord | undefined;
  private handlers: DiscoveredHandler[] = [];
  private mounted = false;
  private warnedParsed = false;

  constructor(
    @Inject(MMSP_RESOLVED_OPTIONS) private readonly options: ResolvedMmspOptions,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {
    // The adapter is set before NestApplication.init() registers the body parsers (raw-body.ts).
    if (options.notifications.notifyPath !== false) {
      adapterHost.init$.subscribe(() => {
        const adapter = adapterHost.httpAdapter as object | undefined;
        if (adapter) this.bodyParsers = recordBodyParsers(adapter);
      });
    }
  }

  onModuleInit(): void {
    this.handlers = discoverHandlers(this.discovery, this.scanner, this.reflector);
    const path = this.options.notifications.notifyPath;
    if (path === false || this.mounted) return;
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) {
      // An application context without HTTP (a worker): nothing to mount.
      if (this.handlers.length > 0)
        this.logger.warn(
          `no HTTP adapter: ${this.handlers.length} @MmspNotificationHandler() method(s) will not receive notifications`,
        );
      return;
    }
    const platform = typeof adapter.getType === 'function' ? adapter.getType() : undefined;
    const problem = rawBodyProblem(platform, this.bodyParsers);
    if (problem) throw new MmspConfigError([{ field: 'rawBody', rule: 'required', message: problem }]);
    if (!this.bodyParsers) {
      this.logger.warn(
        'could not observe how the application parses bodies; if notifications answer "FAIL the body was already parsed", create the application with { rawBody: true }',
      );
    }
    const { notifyPath: _path, ...handling } = this.options.notifications;
    const onDecision = handling.onDecision;
    const handler = createNotificationHandler({
      client: this.options.client,
      ...handling,
      onPaid: (event) => this.dispatch(event),
      onDecision: (decision) => {
        this.log(decision);
        onDecision?.(decision);
      },
    });
    adapter.post(path, (req: ParsedRequest, res: unknown, next?: unknown) => {
      if (!this.warnedParsed && bodyWasParsed(req)) {
        // @mmsp/http-node verifies the parsed envelope written back as JSON (lossless for the
        // document's notifications, not for integers beyond 2^53): say once what to change.
        this.warnedParsed = true;
        this.logger.warn(
          `POST ${path}: a body parser consumed the notification without keeping the raw body; it is verified from the parsed envelope written back as JSON, which cannot recover integers beyond 2^53 or floats written 1.0. ${RAW_BODY_FIX}`,
        );
      }
      (handler as (...args: unknown[]) => void)(req, res, next);
    });
    this.mounted = true;
    if (this.handlers.length === 0) {
      this.logger.warn(
        `POST ${path}: no @MmspNotificationHandler() method found; notifications will be answered with a retry status until one exists`,
      );
    } else {
      this.logger.log(`POST ${path} → ${this.handlers.map((h) => `${h.name} (${describeFilter(h.meta)})`).join(', ')}`);
    }
  }

  /** Runs every matching handler, one after the other; SUCCESS is answered only after all resolved. */
  private async dispatch(event: PaidEvent): Promise<void> {
    const matching = this.handlers.filter((h) => filterMatches(h.meta, event));
    if (matching.length === 0) {
      // Acknowledging a payment nobody recorded would lose it: let the platform retry (PROTOCOL §5).
      throw new MmspError(
        `no @MmspNotificationHandler() accepts a ${event.family} notification (CommandID ${event.command})`,
        'MMSP_NO_HANDLER',
      );
    }
    for (const h of matching) await h.run(event);
  }

  private log(decision: NotificationDecision): void {
    const order = decision.event ? ` ${decision.event.family} ${decision.event.merchantOrderId}` : '';
    if (decision.outcome === 'rejected' || decision.outcome === 'amount-mismatch') {
      this.logger.warn(`notification${order} refused (${decision.status} ${decision.body})`);
    } else if (decision.outcome === 'handler-failed') {
      const cause = decision.error?.cause ?? decision.error;
      this.logger.error(
        `notification${order}: handler failed, the platform will retry (${decision.status})`,
        cause instanceof Error ? cause.stack : undefined,
      );
    } else if (decision.outcome === 'busy') {
      this.logger.warn(`notification${order}: busy (${decision.status}), the platform will retry`);
    }
  }
}
