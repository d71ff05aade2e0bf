/**
 * Masking for everything the log page shows (project standard: card data never shown; the MD5 key
 * and private keys never appear). Applied to raw wire texts, bodies and signing strings.
 */
const TAIL = ['CARDNO', 'ACCNO', 'PHONENO', 'MOBILE', 'BANKCARDNO'];
const HIDE = ['CVN2', 'CVV2', 'EXPDATE', 'ID_NO', 'IDCARD', 'MSG_CODE', 'CODE'];

const tail = (v: string) => (v.length <= 4 ? '*'.repeat(v.length) : '*'.repeat(v.length - 4) + v.slice(-4));

/** Masks sensitive fields in a JSON text (`"CARDNO":"6225…"` → `"CARDNO":"************6648"`). */
export function maskText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const name of TAIL) {
    out = out.replace(
      new RegExp(`("${name}"\\s*:\\s*"?)([^",}]*)`, 'g'),
      (_m, head: string, value: string) => head + tail(value),
    );
  }
  for (const name of HIDE) {
    out = out.replace(
      new RegExp(`("${name}"\\s*:\\s*"?)([^",}]*)`, 'g'),
      (_m, head: string, value: string) => head + (value === '' ? '' : '***'),
    );
  }
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

/** A masked copy of a flat body. */
export function maskBody(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (TAIL.includes(k) && (typeof v === 'string' || typeof v === 'number')) out[k] = tail(String(v));
    else if (HIDE.includes(k) && v !== undefined && v !== '') out[k] = '***';
    else out[k] = v;
  }
  return out;
}

export const maskCard = tail;
