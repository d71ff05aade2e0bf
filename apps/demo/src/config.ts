/**
 * Where the shop sends its requests. Default: an embedded @mmsp/sandbox started in this process
 * on a free loopback port (issue #8). With MMSP_MERCHANT_NO set, a real platform configured
 * entirely by environment variables (README "Real platform"). Values are never printed.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
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
  MMSP_MERCHANT_NO:
    'merchant number (MERNO, 15 digits); setting it switches from the embedded sandbox to a real platform',
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

/** A start that cannot go on: every problem of the environment at once, values never included. */
export class DemoConfigError extends Error {
  constructor(
    readonly problems: readonly string[],
    readonly heading: string,
  ) {
    super(`${heading}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'DemoConfigError';
  }
}

const HEADING = 'demo configuration (real platform mode, because MMSP_MERCHANT_NO is set)';

/** PEM text or a readable file holding one; the key must also parse (node:crypto), so a wrong file is caught at start. */
function pem(
  name: 'MMSP_PLATFORM_PUBLIC_KEY' | 'MMSP_MERCHANT_PRIVATE_KEY',
  value: string | undefined,
  problems: string[],
): string | undefined {
  if (value === undefined || value === '') return undefined;
  let text: string;
  if (value.includes('-----BEGIN')) text = value.replace(/\\n/g, '\n');
  else if (existsSync(value) && statSync(value).isFile()) {
    try {
      text = readFileSync(value, 'utf8');
    } catch {
      problems.push(`${name}: the file cannot be read`);
      return undefined;
    }
  } else {
    problems.push(`${name} must be PEM text or the path of an existing PEM file`);
    return undefined;
  }
  const kind = name === 'MMSP_PLATFORM_PUBLIC_KEY' ? 'PUBLIC' : 'PRIVATE';
  // The client takes `-----BEGIN [RSA ]PUBLIC|PRIVATE KEY-----` (a certificate is not a key).
  if (!new RegExp(`-----BEGIN (RSA )?${kind} KEY-----`).test(text)) {
    problems.push(
      `${name} must be an RSA ${kind.toLowerCase()} key in PEM (-----BEGIN ${kind} KEY----- or -----BEGIN RSA ${kind} KEY-----)`,
    );
    return undefined;
  }
  try {
    const key = kind === 'PUBLIC' ? createPublicKey(text) : createPrivateKey(text);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
  } catch {
    problems.push(`${name} is not a readable RSA ${kind.toLowerCase()} key (PEM damaged, encrypted or not RSA)`);
    return undefined;
  }
  return text;
}

function httpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** Identifiers as the client takes them (letters and digits, at most `max`). */
function id(
  name: 'MMSP_MERCHANT_NO' | 'MMSP_TERMINAL_NO',
  value: string | undefined,
  max: number,
  problems: string[],
): void {
  if (value === undefined || value.trim() === '') problems.push(`${name} is required (${ENV_VARS[name]})`);
  else if (!/^[0-9A-Za-z]+$/.test(value))
    problems.push(`${name} must contain only letters and digits (${ENV_VARS[name]})`);
  else if (value.length > max) problems.push(`${name} must be at most ${max} characters (${ENV_VARS[name]})`);
}

const URL_VARS = ['MMSP_QUICKPAY_URL', 'MMSP_SCAN_URL', 'MMSP_GATEWAY_URL', 'MMSP_PAYOUT_URL'] as const;

/**
 * The real-platform settings from the environment and every problem found in it (an empty list
 * when it is usable), or `settings: undefined` and no problem for the embedded sandbox. The rules
 * are the demo's, written to catch before start what the client and MmspModule would refuse.
 */
export function checkPlatformEnv(env: NodeJS.ProcessEnv = process.env): {
  settings: PlatformSettings | undefined;
  problems: string[];
} {
  if (env.MMSP_MERCHANT_NO === undefined || env.MMSP_MERCHANT_NO === '') return { settings: undefined, problems: [] };
  const problems: string[] = [];
  id('MMSP_MERCHANT_NO', env.MMSP_MERCHANT_NO, 20, problems);
  id('MMSP_TERMINAL_NO', env.MMSP_TERMINAL_NO, 8, problems);
  if (!env.MMSP_KEY || env.MMSP_KEY.trim() === '') problems.push(`MMSP_KEY is required (${ENV_VARS.MMSP_KEY})`);
  for (const name of URL_VARS) {
    const v = env[name];
    if (v !== undefined && v !== '' && !httpUrl(v))
      problems.push(`${name} must be an absolute http:// or https:// URL`);
  }
  const endpoints: Endpoints = {
    ...(env.MMSP_QUICKPAY_URL ? { quickPay: env.MMSP_QUICKPAY_URL } : {}),
    ...(env.MMSP_SCAN_URL ? { scan: env.MMSP_SCAN_URL } : {}),
    ...(env.MMSP_GATEWAY_URL ? { gateway: env.MMSP_GATEWAY_URL } : {}),
    ...(env.MMSP_PAYOUT_URL ? { payout: env.MMSP_PAYOUT_URL } : {}),
  };
  if (Object.keys(endpoints).length === 0) problems.push(`at least one of ${URL_VARS.join(', ')} is required`);
  const platformPublicKey = pem('MMSP_PLATFORM_PUBLIC_KEY', env.MMSP_PLATFORM_PUBLIC_KEY, problems);
  const merchantPrivateKey = pem('MMSP_MERCHANT_PRIVATE_KEY', env.MMSP_MERCHANT_PRIVATE_KEY, problems);
  if (endpoints.payout && (!env.MMSP_PLATFORM_PUBLIC_KEY || !env.MMSP_MERCHANT_PRIVATE_KEY))
    problems.push('MMSP_PAYOUT_URL needs MMSP_PLATFORM_PUBLIC_KEY and MMSP_MERCHANT_PRIVATE_KEY');
  if (env.MMSP_NOTIFY_BASE_URL && !httpUrl(env.MMSP_NOTIFY_BASE_URL))
    problems.push('MMSP_NOTIFY_BASE_URL must be an absolute http:// or https:// URL');
  if (problems.length > 0) return { settings: undefined, problems };
  return {
    problems,
    settings: {
      mode: 'platform',
      merchantNo: env.MMSP_MERCHANT_NO,
      terminalNo: env.MMSP_TERMINAL_NO!,
      key: env.MMSP_KEY!,
      endpoints,
      ...(platformPublicKey && merchantPrivateKey ? { payout: { platformPublicKey, merchantPrivateKey } } : {}),
      ...(env.MMSP_NOTIFY_BASE_URL ? { notifyBaseUrl: env.MMSP_NOTIFY_BASE_URL.replace(/\/+$/, '') } : {}),
    },
  };
}

/** Settings for a real platform from the environment, or `undefined` for the embedded sandbox; throws `DemoConfigError` listing every problem. */
export function platformFromEnv(env: NodeJS.ProcessEnv = process.env): PlatformSettings | undefined {
  const { settings, problems } = checkPlatformEnv(env);
  if (problems.length > 0) throw new DemoConfigError(problems, HEADING);
  return settings;
}

export { HEADING as PLATFORM_CONFIG_HEADING };
