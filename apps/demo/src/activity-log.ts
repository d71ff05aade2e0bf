/**
 * The live log (issue #8): every request the shop sends, every response and every notification,
 * with its signature check and the signing string the platform hashes — card data masked, the MD5
 * key never shown (the signing string ends with `&key=` followed by a placeholder).
 */
import {
  getOperation,
  phpJsonDecode,
  phpJsonEncode,
  PhpArray,
  signingString,
  toWireJson,
  type OperationName,
} from '@mmsp/codec';
import type { Logger, MmspResult } from '@mmsp/client';
import type { ShopDb } from './db.js';
import { maskBody, maskText } from './mask.js';
import { chinaTimeText } from './time.js';

export const KEY_PLACEHOLDER = '<MD5 key: never shown>';

/** A background poll (waitForFinal) folded into one line of the log instead of one per query. */
interface Poll {
  operation: string;
  orderId: string | null;
  payoutNo: string | undefined;
  rowId: number | undefined;
  queries: number;
}

export class ActivityLog {
  constructor(
    private readonly db: ShopDb,
    private readonly secrets: readonly string[] = [],
  ) {}

  /** The client's logger: its debug line "→ operation" carries the validated, autofilled body (already redacted by the client). */
  readonly clientLogger: Logger = {
    debug: (message, meta) => {
      if (!message.startsWith('→') || !meta || typeof meta.body !== 'object' || meta.body === null) return;
      this.request(String(meta.operation), meta.body as Record<string, unknown>);
    },
    warn: (message) => console.warn(`[mmsp] ${this.mask(message)}`),
    error: (message) => console.error(`[mmsp] ${this.mask(message)}`),
  };

  private mask(text: string): string {
    return maskText(text, this.secrets);
  }

  /** The log's masking, for texts shown elsewhere (an order's technical reason). */
  maskText(text: string): string {
    return this.mask(text);
  }

  private readonly polls = new Map<string, Poll>();

  /**
   * From now until endPoll, the `operation` requests of this order (or payout ORDERNO) are one
   * line on the log, updated in place with the count and the latest request, so that polling does
   * not flood the log (a "paying" order is queried every 1–5 s for up to minutes).
   */
  beginPoll(key: string, operation: string, orderId: string | null, payoutNo?: string): void {
    if (!this.polls.has(key)) this.polls.set(key, { operation, orderId, payoutNo, rowId: undefined, queries: 0 });
  }

  endPoll(key: string): void {
    this.polls.delete(key);
  }

  private pollOf(operation: string, body: Record<string, unknown>): Poll | undefined {
    for (const poll of this.polls.values()) {
      if (poll.operation !== operation) continue;
      if (poll.orderId !== null && body.MERORDERID === poll.orderId) return poll;
      if (poll.payoutNo !== undefined && body.ORDERNO === poll.payoutNo) return poll;
    }
    return undefined;
  }

  request(operation: string, body: Record<string, unknown>): void {
    const safe = maskBody(body);
    const spec = getOperation(operation as OperationName);
    // Shop orders are linked by MERORDERID; a payout's ORDERNO is named in the title instead.
    const orderId = typeof body.MERORDERID === 'string' ? body.MERORDERID : null;
    const poll = this.pollOf(operation, body);
    if (poll) {
      poll.queries += 1;
      const what = poll.payoutNo !== undefined ? `payout ${poll.payoutNo}` : `order ${poll.orderId ?? ''}`;
      const row = {
        title: `⟳ polling ${operation} (${spec.title}) for ${what}: ${poll.queries} ${poll.queries === 1 ? 'query' : 'queries'} so far, the latest at ${chinaTimeText(Date.now())}; one line for the whole poll, the final answer below`,
        signingString:
          spec.security === 'rsa'
            ? this.mask(toWireJson(safe))
            : this.mask(signingString(safe)) + '&key=' + KEY_PLACEHOLDER,
        text: this.mask(JSON.stringify(safe, null, 2)),
      };
      if (poll.rowId === undefined) {
        poll.rowId = this.db.addLog({
          kind: 'request',
          operation,
          orderId: poll.orderId,
          signature:
            spec.security === 'rsa'
              ? 'SHA1withRSA, then RSA-encrypted (PROTOCOL §6); the latest request shown'
              : 'MD5 of the signing string, upper-case hex, sent as Sign (PROTOCOL §3); the latest request shown',
          ...row,
        });
      } else {
        this.db.updateLog(poll.rowId, row);
      }
      return;
    }
    if (spec.security === 'rsa') {
      const payoutNo =
        operation === 'payout.balance' ? '' : typeof body.ORDERNO === 'string' ? ` ORDERNO ${body.ORDERNO}` : '';
      this.db.addLog({
        kind: 'request',
        title: `→ ${operation}${payoutNo} (${spec.title})`,
        operation,
        orderId: null,
        signingString: this.mask(toWireJson(safe)),
        signature:
          'SHA1withRSA over this plaintext with the merchant private key, then RSA-encrypted with the platform public key (PROTOCOL §6)',
        text: this.mask(JSON.stringify(safe, null, 2)),
      });
      return;
    }
    this.db.addLog({
      kind: 'request',
      title: `→ ${operation} (${spec.title})`,
      operation,
      orderId,
      signingString: this.mask(signingString(safe)) + '&key=' + KEY_PLACEHOLDER,
      signature: 'MD5 of the signing string, upper-case hex, sent as Sign (PROTOCOL §3)',
      text: this.mask(JSON.stringify(safe, null, 2)),
    });
  }

  /** A browser form the shop hands to the buyer (gateway.pay): nothing is sent server-to-server. */
  form(operation: string, envelopeText: string, orderId: string): void {
    this.db.addLog({
      kind: 'request',
      title: `→ ${operation} (browser form, web_api field)`,
      operation,
      orderId,
      signingString: this.bodySigningString(envelopeText),
      signature: 'MD5 of the signing string, upper-case hex, sent as Sign (PROTOCOL §3)',
      text: this.mask(envelopeText),
    });
  }

  response(result: MmspResult, orderId: string | null): void {
    const spec = getOperation(result.operation);
    const codes = Object.entries(result.codes)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    this.db.addLog({
      kind: 'response',
      title: `← ${result.operation}${result.state ? ` → ${result.state}` : ''} (${codes})`,
      operation: result.operation,
      orderId,
      signingString: spec.security === 'md5' ? this.bodySigningString(result.raw) : null,
      signature:
        spec.security === 'md5'
          ? '✓ Sign verified by the client (MD5, constant-time compare) before the result was used'
          : '✓ decrypted with the merchant key, SIGN verified with the platform public key (SHA1withRSA)',
      text: this.mask(spec.security === 'md5' ? result.raw : JSON.stringify(maskBody(result.body), null, 2)),
    });
  }

  error(operation: string, orderId: string | null, error: unknown): void {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    this.db.addLog({
      kind: 'error',
      title: `✗ ${operation}: ${name}`,
      operation,
      orderId,
      signingString: null,
      signature: name === 'MmspSignatureError' ? '✗ the response failed signature verification: not trusted' : null,
      text: this.mask(message),
    });
  }

  notification(
    raw: string,
    check: { ok: boolean; message: string; orderId: string | null },
    answer: { status: number; body: string },
  ): void {
    this.db.addLog({
      kind: 'notification',
      title: `⇐ notification ${check.orderId ?? ''} → answered ${answer.status} ${answer.body}`.replace(/\s+/g, ' '),
      operation: 'notification',
      orderId: check.orderId,
      signingString: this.bodySigningString(raw),
      signature: check.ok ? `✓ ${check.message}` : `✗ ${check.message}`,
      text: this.mask(raw),
    });
  }

  browser(title: string, orderId: string, text: string): void {
    this.db.addLog({
      kind: 'browser',
      title,
      operation: null,
      orderId,
      signingString: null,
      signature: 'none: the browser return is unsigned and never proof of payment (PROTOCOL §5, gateway §5.5)',
      text: this.mask(text),
    });
  }

  /** The signing string of an envelope's Body as the platform hashes it (re-encoded PHP-style, ksorted). */
  bodySigningString(envelopeText: string): string | null {
    try {
      const decoded = phpJsonDecode(envelopeText);
      if (!(decoded instanceof PhpArray)) return null;
      const body = decoded.get('Body');
      if (body === undefined || body === '') return null;
      const bodyText = typeof body === 'string' ? body : phpJsonEncode(body);
      return this.mask(signingString(bodyText)) + '&key=' + KEY_PLACEHOLDER;
    } catch {
      return null;
    }
  }
}
