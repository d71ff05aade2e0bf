// What a family handler sees and returns (dispatch.ts dispatches to it).
import type { MerchantRecord } from './model.js';
import type { Platform } from './platform.js';

export interface HandlerContext {
  platform: Platform;
  merchant: MerchantRecord;
  operation: string;
  /** The sandbox's base URL, for payment-page links. */
  baseUrl: string;
  now: number;
}

export type HandlerResult = { body: Record<string, unknown>; html?: string } | { negative: string };

export type Handler = (ctx: HandlerContext, body: Record<string, unknown>) => HandlerResult;

/** A body field as text ('' when absent); numbers are accepted as the platform's PHP would. */
export function field(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return '';
}

/** Fen arithmetic on decimal strings (never floats). */
export function fen(a: string): bigint {
  return /^\d+$/.test(a) ? BigInt(a) : 0n;
}
