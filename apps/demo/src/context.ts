import type { Sandbox } from '@mmsp/sandbox';
import type { PlatformSettings } from './config.js';

/** What the shop knows about where it runs. */
export interface DemoContext {
  settings: PlatformSettings;
  /** The embedded sandbox (default mode), for its test hints (SMS codes, test codes). */
  sandbox?: Sandbox;
  /** The shop's own base URL, e.g. http://127.0.0.1:3000 (pages, JUMP_URL). */
  baseUrl: string;
  /** NOTIFY_URL sent with every payment: notify base + MmspModule's route. */
  notifyUrl: string;
  /** The reconciler's schedule (reconciliation.ts); interval 0 = off. */
  reconcile?: { intervalMs: number; minAgeMs: number };
}

/**
 * A payment page URL as stored with the order, pointed at the embedded sandbox's current address:
 * the sandbox takes a new free port at each start, its state (and the order) survives.
 */
export function currentPayUrl(ctx: DemoContext, url: string | null): string | null {
  if (!url || !ctx.sandbox) return url;
  try {
    const u = new URL(url);
    if (!u.pathname.startsWith('/_sandbox/') || !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) return url;
    return new URL(u.pathname + u.search, ctx.sandbox.url).toString();
  } catch {
    return url;
  }
}
