// Lost notifications (issue #16): listed by `GET /_sandbox/notifications/lost`, delivered late by
// `POST /_sandbox/notifications/deliver-lost` (see `LostFilter`).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ControlContext } from './control.js';
import { parseInput, readBody, sendJson } from './http-util.js';
import type { NotificationAttempt, NotificationRecord } from './model.js';
import { isLoopbackUrl } from './notifier.js';

/**
 * Which lost notifications to list or deliver late (`Sandbox.deliverLostNotifications`,
 * `GET /_sandbox/notifications/lost`, `POST /_sandbox/notifications/deliver-lost`); an absent
 * field matches any.
 *
 * The fault `notify-lost` makes the platform lose every notification of a merchant or of an order
 * (`match: { merchantNo }` or `{ merchantOrderId }`, `times: 0` until cleared): the merchant never
 * hears of the payment, as when its endpoint was down for the platform's whole retry window
 * (PROTOCOL §5.2). `deliver-lost` delivers them late: to `NOTIFY_URL` on the family's retry
 * schedule, or once to each of `urls` at the same time (two receiver instances). Reconcilers are
 * tested against this.
 */
export interface LostFilter {
  /** MERNO of the merchant whose notifications were lost. */
  merchantNo?: string;
  /** MERORDERID of one order. */
  merchantOrderId?: string;
  /** The family that pushed: only scan code, quick pay and the gateway notify (payout has no notification, PROTOCOL §5.1, §10.4). */
  family?: 'scan' | 'quickPay' | 'gateway';
}

/** The lost notifications matching `filter`, oldest first. */
export function lostNotifications(
  ctx: Pick<ControlContext, 'platform'>,
  filter: LostFilter = {},
): NotificationRecord[] {
  return ctx.platform.state.notifications.filter(
    (r) =>
      r.lost === true &&
      (filter.merchantNo === undefined || r.merchantNo === filter.merchantNo) &&
      (filter.merchantOrderId === undefined || r.merchantOrderId === filter.merchantOrderId) &&
      (filter.family === undefined || r.family === filter.family),
  );
}

/** Delivers the matching lost notifications now (all at once); resolves with the attempts made. */
export async function deliverLost(
  ctx: Pick<ControlContext, 'platform' | 'notifier'>,
  filter: LostFilter = {},
  urls?: readonly string[],
): Promise<NotificationAttempt[]> {
  for (const url of urls ?? []) {
    if (!isLoopbackUrl(url))
      throw new TypeError('urls: only loopback http:// receivers (the sandbox never sends off this machine)');
  }
  const batches = await Promise.all(lostNotifications(ctx, filter).map((rec) => ctx.notifier.deliverLost(rec, urls)));
  return batches.flat();
}

function readFilter(input: Record<string, unknown>): LostFilter {
  const out: LostFilter = {};
  for (const k of ['merchantNo', 'merchantOrderId', 'family'] as const) {
    const v = input[k];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') throw new TypeError(`${k}: must be a string`);
    (out as Record<string, string>)[k] = v;
  }
  if (out.family !== undefined && !['scan', 'quickPay', 'gateway'].includes(out.family))
    throw new TypeError('family: must be scan, quickPay or gateway');
  return out;
}

/** `GET /_sandbox/notifications/lost`, `POST /_sandbox/notifications/deliver-lost`; false for other paths. */
export async function handleLostRoutes(
  ctx: ControlContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const path = url.pathname.replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  if (method === 'GET' && path === '/_sandbox/notifications/lost') {
    const filter = readFilter(Object.fromEntries(url.searchParams));
    sendJson(
      res,
      200,
      lostNotifications(ctx, filter).map((r) => ({
        notificationId: r.id,
        merchantNo: r.merchantNo,
        family: r.family,
        merchantOrderId: r.merchantOrderId,
        platformOrderId: r.platformOrderId,
        url: r.url,
        text: r.text,
      })),
    );
    return true;
  }
  if (method === 'POST' && path === '/_sandbox/notifications/deliver-lost') {
    try {
      const input = parseInput(await readBody(req), req.headers['content-type'] ?? 'application/json');
      const filter = readFilter({ ...Object.fromEntries(url.searchParams), ...input });
      const urls = input.urls;
      if (urls !== undefined && (!Array.isArray(urls) || !urls.every((u) => typeof u === 'string')))
        throw new TypeError('urls: must be an array of URLs');
      const attempts = await deliverLost(ctx, filter, urls as string[] | undefined);
      sendJson(res, 200, {
        delivered: new Set(attempts.filter((a) => a.acknowledged).map((a) => a.notificationId)).size,
        attempts,
      });
    } catch (err) {
      sendJson(res, 400, { error: (err as Error).message });
    }
    return true;
  }
  return false;
}
