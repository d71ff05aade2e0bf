/**
 * The User-Agent every request carries (issue #15 item 6):
 * `mmsp-sdk/<version> (<adapter>; <runtime>/<version>)`, then the merchant's `appInfo`
 * (`MyShop/1.4.2 (+https://shop.example.com)`), in the spirit of stripe-node's `appInfo`. The
 * runtime is detected here without `process` (Deno, Bun, Vercel's edge runtime, workerd,
 * Node ≥ 21 by `navigator.userAgent`, browsers); an adapter that knows better (`@mmsp/http-node`
 * reads `process.versions`) names it on its transport ({@link TransportIdentity}).
 */
import { VERSION } from './version.js';

/** Who the merchant's application is, appended to the User-Agent (`ClientConfig.appInfo`). */
export interface AppInfo {
  /** The application's name, a product token: letters, digits and `._~+-` (e.g. `MyShop`). */
  name: string;
  /** Its version, same characters (e.g. `1.4.2`). */
  version?: string;
  /** Where to read about it or reach its operators (an http(s) URL). */
  url?: string;
}

/** The sender of a request as an adapter describes its transport (`Transport.identity`). */
export interface TransportIdentity {
  /** The adapter's short name: `http-node`, `fetch-edge`… */
  adapter: string;
  /** The runtime and its version, e.g. `node/22.11.0`; detected when absent. */
  runtime?: string;
}

/** The SDK's version (the `@mmsp/client` package's), as sent in the User-Agent. */
export const SDK_VERSION: string = VERSION;

interface RuntimeGlobals {
  Deno?: { version?: { deno?: unknown } };
  Bun?: { version?: unknown };
  EdgeRuntime?: unknown;
  navigator?: { userAgent?: unknown };
  document?: unknown;
}

/**
 * The runtime this code runs in, `<name>/<version>` where the version is known: `deno/2.1.4`,
 * `bun/1.1.38`, `node/22` (Node ≥ 21 tells only its major version through `navigator`),
 * `workerd`, `edge-light`, `browser`, else `unknown`. Never reads `process`.
 */
export function detectRuntime(): string {
  const g = globalThis as RuntimeGlobals;
  if (typeof g.Deno?.version?.deno === 'string') return `deno/${g.Deno.version.deno}`;
  if (typeof g.Bun?.version === 'string') return `bun/${g.Bun.version}`;
  if (typeof g.EdgeRuntime === 'string') return 'edge-light';
  const ua = typeof g.navigator?.userAgent === 'string' ? g.navigator.userAgent : undefined;
  if (ua === 'Cloudflare-Workers') return 'workerd';
  if (ua?.startsWith('Node.js/')) return `node/${ua.slice('Node.js/'.length)}`;
  if (g.document !== undefined && ua !== undefined) return 'browser';
  return 'unknown';
}

/** Characters of a product token (RFC 9110 `token`, narrowed). */
export const PRODUCT_TOKEN = /^[A-Za-z0-9._~+-]{1,64}$/;

/**
 * The User-Agent text: `mmsp-sdk/0.3.0 (http-node; node/22.11.0) MyShop/1.4.2 (+https://shop.example.com)`.
 *
 * @example
 * ```ts
 * import { userAgent } from '@mmsp/client';
 *
 * userAgent({ adapter: 'custom', runtime: 'node/22.11.0' }, { name: 'MyShop', version: '1.4.2' });
 * // 'mmsp-sdk/<version> (custom; node/22.11.0) MyShop/1.4.2'
 * ```
 */
export function userAgent(identity: TransportIdentity | undefined, appInfo?: AppInfo): string {
  const adapter = identity?.adapter ?? 'custom';
  const runtime = identity?.runtime ?? detectRuntime();
  let text = `mmsp-sdk/${SDK_VERSION} (${adapter}; ${runtime})`;
  if (appInfo) {
    text += ` ${appInfo.name}${appInfo.version ? `/${appInfo.version}` : ''}`;
    if (appInfo.url) text += ` (+${appInfo.url})`;
  }
  return text;
}
