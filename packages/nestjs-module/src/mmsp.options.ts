/**
 * `MmspModule` options: the `@mmsp/http-node` client configuration (`createNodeClient`) plus the
 * notification route. Checked once at boot: every problem — ours and the client's — in one
 * `MmspConfigError` (issue #3: "one error that lists every problem"), never a secret's value.
 */
import { Logger as NestLogger } from '@nestjs/common';
import {
  MmspConfigError,
  type FieldIssue,
  type HandleOptions,
  type Logger,
  type MmspClient,
  type NotificationDecision,
  type NotificationStore,
} from '@mmsp/client';
import { createNodeClient, type NodeClientConfig } from '@mmsp/http-node';
import { DEFAULT_NOTIFY_PATH } from './mmsp.constants.js';

/**
 * The notification part of {@link MmspModuleOptions}: where the module answers the platform's
 * pushed notifications (PROTOCOL §5), where "handled once" is recorded, the amount check and the
 * body size limit. Checked at boot with the client's options.
 */
export interface MmspNotificationOptions {
  /**
   * Path of the `POST` route answering the platform's notifications (PROTOCOL §5), as the server
   * sees it: the application's global prefix is not added. Default `/mmsp/notify`; `false` mounts
   * no route (an application that only calls the platform).
   */
  notifyPath?: string | false;
  /** Claims and commits of handled notifications (default: in memory, one process). Use `@mmsp/store-redis` or `@mmsp/store-postgres` behind a load balancer. */
  store?: NotificationStore;
  /** How long a claim lasts if the process dies mid-handler (default 60 000 ms); extended every `claimTtlMs / 3` while the handler runs. */
  claimTtlMs?: number;
  /** How long the handler may run (default 60 000 ms); then the platform is answered 500 (it retries) and the claim released. */
  handlerTimeoutMs?: number;
  /** The fen amount the merchant expects for an order; a notification with another amount is refused. */
  expectAmount?: HandleOptions['expectAmount'];
  /** Largest notification body accepted, in bytes (default 64 KiB). */
  maxBodyBytes?: number;
  /** Called with every answer given to the platform (metrics, audit). */
  onDecision?: (decision: NotificationDecision) => void;
}

/**
 * What {@link MmspModule} takes: `createNodeClient`'s configuration (`merchantNo`, `terminalNo`,
 * `key`, `agentNo`/`agentKey`, `endpoints`, `payout`, `timeoutMs`, `retry`, `settleDeadlineMs`, `appInfo`,
 * `logger` (default: Nest's `Logger`, context `MmspClient`, one line per event), `sendLedger`, `http`, `hooks`) plus
 * {@link MmspNotificationOptions}. Checked once at boot: every problem, the module's and the
 * client's, in one `MmspConfigError`, never a secret's value.
 */
export type MmspModuleOptions = NodeClientConfig & MmspNotificationOptions;

const NOTIFICATION_KEYS = [
  'notifyPath',
  'store',
  'claimTtlMs',
  'handlerTimeoutMs',
  'expectAmount',
  'maxBodyBytes',
  'onDecision',
] as const;
const KNOWN_OPTIONS = [
  'merchantNo',
  'terminalNo',
  'key',
  'agentNo',
  'agentKey',
  'endpoints',
  'payout',
  'timeoutMs',
  'logger',
  'sendLedger',
  'retry',
  'settleDeadlineMs',
  'appInfo',
  'http',
  'hooks',
  ...NOTIFICATION_KEYS,
];

/**
 * The client's log lines through Nest's `Logger` (context `MmspClient`), one line per event: the
 * message, then the (already redacted) fields as JSON on the same line. It is the default when the
 * options give no `logger`, so that the client does not also write to the console (issue #15).
 */
export function nestClientLogger(context = 'MmspClient'): Logger {
  const nest = new NestLogger(context);
  const line = (message: string, meta?: Record<string, unknown>) => {
    if (meta === undefined || Object.keys(meta).length === 0) return message;
    try {
      return `${message} ${JSON.stringify(meta)}`;
    } catch {
      return message;
    }
  };
  return {
    debug: (message, meta) => nest.debug(line(message, meta)),
    info: (message, meta) => nest.log(line(message, meta)),
    warn: (message, meta) => nest.warn(line(message, meta)),
    error: (message, meta) => nest.error(line(message, meta)),
  };
}

export interface ResolvedMmspOptions {
  client: MmspClient;
  notifications: Omit<MmspNotificationOptions, 'notifyPath'> & { notifyPath: string | false };
}

function shapeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'string') return `string(${value.length})`;
  return typeof value;
}

function checkNotificationOptions(o: Record<string, unknown>, issues: FieldIssue[]): void {
  const path = o.notifyPath;
  // Plain segments only: Express 5 (path-to-regexp 8) and Fastify give ':', '*', '(', '{', '?', '+'
  // meanings of their own, and the platform calls one fixed URL (NOTIFY_URL).
  const plain = (p: string) =>
    p.length <= 200 &&
    /^\/(?:[A-Za-z0-9._~-]+\/)*[A-Za-z0-9._~-]*$/.test(p) &&
    !p.split('/').some((seg) => seg === '.' || seg === '..');
  if (path !== undefined && path !== false && (typeof path !== 'string' || !plain(path))) {
    issues.push({
      field: 'notifyPath',
      rule: 'format',
      message:
        'notifyPath must be an absolute URL path of plain segments (letters, digits, ".", "_", "~", "-"), such as /mmsp/notify, or false for no route',
      got: shapeOf(path),
    });
  }
  const store = o.store as Record<string, unknown> | undefined | null;
  if (store !== undefined) {
    const missing = ['claim', 'extend', 'commit', 'release'].filter((m) => typeof store?.[m] !== 'function');
    if (store === null || typeof store !== 'object' || missing.length > 0) {
      issues.push({
        field: 'store',
        rule: 'type',
        message: `store must be a NotificationStore (claim, extend, commit, release)${missing.length > 0 && store && typeof store === 'object' ? `; missing ${missing.join(', ')}` : ''}`,
        got: shapeOf(store),
      });
    }
  }
  for (const name of ['claimTtlMs', 'handlerTimeoutMs', 'maxBodyBytes'] as const) {
    const v = o[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0)) {
      issues.push({
        field: name,
        rule: 'positiveInteger',
        message: `${name} must be a positive integer`,
        got: shapeOf(v),
      });
    }
  }
  for (const name of ['expectAmount', 'onDecision'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function')
      issues.push({ field: name, rule: 'type', message: `${name} must be a function`, got: shapeOf(o[name]) });
  }
}

/** Builds the client and checks the notification options; throws one `MmspConfigError` listing every problem. */
export function resolveMmspOptions(input: unknown): ResolvedMmspOptions {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new MmspConfigError([
      {
        field: 'options',
        rule: 'type',
        message:
          'MmspModule options must be an object (MmspModule.forRoot({ merchantNo, terminalNo, key, endpoints, … }))',
        got: shapeOf(input),
      },
    ]);
  }
  const all = input as Record<string, unknown>;
  const clientConfig: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(all)) {
    if (!(NOTIFICATION_KEYS as readonly string[]).includes(name)) clientConfig[name] = value;
  }
  if (clientConfig.logger === undefined) clientConfig.logger = nestClientLogger();
  const issues: FieldIssue[] = [];
  checkNotificationOptions(all, issues);
  let client: MmspClient | undefined;
  try {
    // The User-Agent names this module as the adapter (issue #15 item 6).
    client = createNodeClient(clientConfig as NodeClientConfig, 'nestjs-module');
  } catch (error) {
    if (!(error instanceof MmspConfigError)) throw error;
    // The client lists its own options for an unknown name; name the module's as well.
    issues.unshift(
      ...error.issues.map((i) =>
        i.rule === 'unknown' && !i.field.includes('.')
          ? { ...i, message: `${i.field} is not an MmspModule option (known: ${KNOWN_OPTIONS.join(', ')})` }
          : i,
      ),
    );
  }
  if (issues.length > 0 || !client) throw new MmspConfigError(issues);
  const o = all as MmspNotificationOptions;
  return {
    client,
    notifications: {
      notifyPath: o.notifyPath === undefined ? DEFAULT_NOTIFY_PATH : o.notifyPath,
      ...(o.store !== undefined ? { store: o.store } : {}),
      ...(o.claimTtlMs !== undefined ? { claimTtlMs: o.claimTtlMs } : {}),
      ...(o.handlerTimeoutMs !== undefined ? { handlerTimeoutMs: o.handlerTimeoutMs } : {}),
      ...(o.expectAmount !== undefined ? { expectAmount: o.expectAmount } : {}),
      ...(o.maxBodyBytes !== undefined ? { maxBodyBytes: o.maxBodyBytes } : {}),
      ...(o.onDecision !== undefined ? { onDecision: o.onDecision } : {}),
    },
  };
}
