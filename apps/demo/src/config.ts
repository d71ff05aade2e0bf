/**
 * Where the shop sends its requests. Default: an embedded @mmsp/sandbox started in this process
 * on a free loopback port (issue #8). With MMSP_MERCHANT_NO set, a real platform configured
 * entirely by environment variables (README "Real platform"). Values are never printed.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Endpoints } from '@mmsp/client';

export interface PlatformSettings {
  mode: 'sandbox' | 'platform';
  merchantNo: string;
  terminalNo: string;
  key: string;
  endpoints: Endpoints;
  payout?: { platformPublicKey: string; merchantPrivateKey: string };
  /** Base URL the platform reaches the shop at (NOTIFY_URL = base + /mmsp/notify); default the shop's own URL. */
  notifyBaseUrl?: string;
}

export const ENV_VARS = {
  MMSP_MERCHANT_NO: 'merchant number (MERNO, 15 digits); setting it switches from the embedded sandbox to a real platform',
  MMSP_TERMINAL_NO: 'terminal number (TERMNO, 8 digits)',
  MMSP_KEY: 'the MD5 key (never printed)',
  MMSP_QUICKPAY_URL: 'quick pay endpoint (full POST URL)',
  MMSP_SCAN_URL: 'scan-code endpoint (full POST URL)',
  MMSP_GATEWAY_URL: 'gateway endpoint (the browser form posts here)',
  MMSP_PAYOUT_URL: 'payout endpoint (full POST URL)',
  MMSP_PLATFORM_PUBLIC_KEY: "the platform's RSA public key for payouts: PEM text or a path to a PEM file",
  MMSP_MERCHANT_PRIVATE_KEY: 'your RSA private key for payouts: PEM text or a path to a PEM file (never printed)',
  MMSP_NOTIFY_BASE_URL: 'public base URL of this shop for notifications (default: its own local URL)',
} as const;

function pem(name: string, value: string | undefined, problems: string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  if (existsSync(value)) return readFileSync(value, 'utf8');
  problems.push(`${name} must be PEM text or the path of an existing PEM file`);
  return undefined;
}

/** Settings for a real platform from the environment, or `undefined` for the embedded sandbox. */
export function platformFromEnv(env: NodeJS.ProcessEnv = process.env): PlatformSettings | undefined {
  if (!env.MMSP_MERCHANT_NO) return undefined;
  const problems: string[] = [];
  for (const name of ['MMSP_TERMINAL_NO', 'MMSP_KEY'] as const) if (!env[name]) problems.push(`${name} is required (${ENV_VARS[name]})`);
  const endpoints: Endpoints = {
    ...(env.MMSP_QUICKPAY_URL ? { quickPay: env.MMSP_QUICKPAY_URL } : {}),
    ...(env.MMSP_SCAN_URL ? { scan: env.MMSP_SCAN_URL } : {}),
    ...(env.MMSP_GATEWAY_URL ? { gateway: env.MMSP_GATEWAY_URL } : {}),
    ...(env.MMSP_PAYOUT_URL ? { payout: env.MMSP_PAYOUT_URL } : {}),
  };
  if (Object.keys(endpoints).length === 0) problems.push('at least one of MMSP_QUICKPAY_URL, MMSP_SCAN_URL, MMSP_GATEWAY_URL, MMSP_PAYOUT_URL is required');
  const platformPublicKey = pem('MMSP_PLATFORM_PUBLIC_KEY', env.MMSP_PLATFORM_PUBLIC_KEY, problems);
  const merchantPrivateKey = pem('MMSP_MERCHANT_PRIVATE_KEY', env.MMSP_MERCHANT_PRIVATE_KEY, problems);
  if (endpoints.payout && (!platformPublicKey || !merchantPrivateKey)) problems.push('MMSP_PAYOUT_URL needs MMSP_PLATFORM_PUBLIC_KEY and MMSP_MERCHANT_PRIVATE_KEY');
  if (env.MMSP_NOTIFY_BASE_URL && !/^https?:\/\//.test(env.MMSP_NOTIFY_BASE_URL)) problems.push('MMSP_NOTIFY_BASE_URL must start with http:// or https://');
  if (problems.length > 0) throw new Error(`demo configuration (real platform mode, because MMSP_MERCHANT_NO is set):\n  - ${problems.join('\n  - ')}`);
  return {
    mode: 'platform',
    merchantNo: env.MMSP_MERCHANT_NO,
    terminalNo: env.MMSP_TERMINAL_NO!,
    key: env.MMSP_KEY!,
    endpoints,
    ...(platformPublicKey && merchantPrivateKey ? { payout: { platformPublicKey, merchantPrivateKey } } : {}),
    ...(env.MMSP_NOTIFY_BASE_URL ? { notifyBaseUrl: env.MMSP_NOTIFY_BASE_URL.replace(/\/+$/, '') } : {}),
  };
}
