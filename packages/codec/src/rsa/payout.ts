/**
 * Payout RSA (PROTOCOL §6; payout §3.1 加密流程 and §5.1.4): the request JSON is encrypted with the
 * platform's public key in (k − 11)-byte chunks (117 bytes for the platform's 1024-bit keys),
 * PKCS#1 v1.5, the k-byte cipher blocks concatenated and base64'd into `ENCRYPT`; `SIGN` is the
 * base64 SHA1withRSA signature of the same plaintext with the merchant's private key. The
 * response's `ENCRYPT` is decrypted with the merchant's private key in k-byte blocks.
 *
 * The sync functions use `pureCrypto`; the `…With(provider, …)` forms take any `CryptoProvider`
 * (OpenSSL in @mmsp/http-node, Web Crypto in @mmsp/fetch-edge) and give byte-identical results.
 */
import { base64Decode, base64Encode, concatBytes, utf8Decode, utf8Encode } from '../bytes/encoding.js';
import type { CryptoProvider } from '../crypto-provider.js';
import { MmspConfigError, MmspEncodingError, MmspSignatureError } from '../errors.js';
import { phpJsonDecode } from '../php-json/decode.js';
import { toPlain, toWireJson } from '../php-json/js.js';
import { PhpArray } from '../php-json/value.js';
import { RsaKeyRing, type RsaKeyKind } from './key.js';
import { pureCrypto, type SyncCryptoProvider } from './pure.js';

/** The payout keys a merchant holds: the platform's public key and its own private key. */
export interface PayoutSealKeys {
  /** The platform's RSA public key (SPKI or PKCS#1 PEM, or a bare base64 body): encrypts `ENCRYPT`. */
  platformPublicKey: string;
  /** The merchant's RSA private key (PKCS#8 or PKCS#1 PEM, or a bare base64 body): signs `SIGN`. */
  merchantPrivateKey: string;
}

/** The keys that open a payout response: the merchant's private key, and the platform's public key to check `SIGN`. */
export interface PayoutOpenKeys {
  /** The merchant's RSA private key: decrypts the response's `ENCRYPT`. */
  merchantPrivateKey: string;
  /** The platform's public key: when given and the response carries `SIGN`, the signature is verified. */
  platformPublicKey?: string;
  /** Throw `MmspSignatureError` unless a signature was present and verified. Default false. */
  requireSignature?: boolean;
}

/** The request the platform receives: `{ "ENCRYPT": …, "SIGN": … }`. */
export interface PayoutSealed {
  /** Base64 of the segmented PKCS#1 v1.5 encryption of the plaintext with the platform's public key. */
  ENCRYPT: string;
  /** Base64 SHA1withRSA signature of the same plaintext with the merchant's private key. */
  SIGN: string;
}

/** An opened payout response (PROTOCOL §6): its `RETCODE`, message and decrypted data. */
export interface PayoutOpened {
  /** `RETCODE` (top level, else from the decrypted data), as text: `0000` ok, `0001` unknown → query (PROTOCOL §6). */
  RETCODE: string | undefined;
  /** The result text, whichever spelling the response used: `RETMSG`, `REMSG` or `RETMMSG`. */
  message: string | undefined;
  /** The decrypted `ENCRYPT` (UTF-8 JSON text), when the response carried one. */
  plaintext: string | undefined;
  /** `plaintext` parsed, when it is a JSON object. */
  data: Record<string, unknown> | undefined;
  /** True when `SIGN` was present, a platform public key was given, and the signature verified. */
  signatureChecked: boolean;
}

// ---------------------------------------------------------------------------------------------
// The one place a payout object becomes text, and a response plaintext becomes data.

/**
 * The JSON text of a payout request object: the plaintext that is encrypted and signed. The one
 * place the object → text step happens: the codec's `toWireJson` (key order kept, strings exact,
 * `bigint` as digits, `/` escaped as PHP does; `MmspEncodingError` naming the path otherwise).
 * The signature covers these exact bytes, so any faithful JSON text verifies.
 */
export function payoutPlaintext(plain: object): string {
  return toWireJson(plain);
}

/**
 * The decrypted response plaintext as data, decoded as PHP's `json_decode($t, true)` would
 * (losslessly: integers beyond 2^53 stay `bigint`); undefined when it is not a JSON object.
 */
function payoutData(plaintext: string): Record<string, unknown> | undefined {
  try {
    const v = phpJsonDecode(plaintext);
    return v instanceof PhpArray ? (toPlain(v) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Parsed keys per provider (segmentation needs the modulus size): owned by the provider's entry, gone with it. */
const rings = new WeakMap<CryptoProvider, RsaKeyRing>();

/** The modulus size in bytes of a key, read by the codec's key reader (the same errors whatever the provider). */
function modulusBytes(provider: CryptoProvider, keyPem: string, kind: RsaKeyKind): number {
  let ring = rings.get(provider);
  if (!ring) rings.set(provider, (ring = new RsaKeyRing()));
  return ring.key(keyPem, kind).k;
}

type Bytes = Uint8Array | string;
const asBytes = (data: Bytes, what: string): Uint8Array => (typeof data === 'string' ? utf8Encode(data, what) : data);

/** Re-labels a provider's key error (`privateKey` / `publicKey`) with the caller's field name. */
function relabel(err: unknown, field: string): unknown {
  if (err instanceof MmspConfigError && err.issues.every((i) => i.field === 'privateKey' || i.field === 'publicKey')) {
    return new MmspConfigError(
      err.issues.map((i) => ({ ...i, field, message: i.message.replace(/^(privateKey|publicKey):/, `${field}:`) })),
    );
  }
  return err;
}

function keyed<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw relabel(err, field);
  }
}

async function keyedAsync<T>(field: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw relabel(err, field);
  }
}

function chunks(data: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += size) out.push(data.subarray(at, at + size));
  return out;
}

function cipherBlocks(cipher: Uint8Array, k: number, what: string): Uint8Array[] {
  if (cipher.length === 0 || cipher.length % k !== 0) {
    throw new MmspEncodingError(
      `${what}: ${cipher.length} bytes is not a whole number of ${k}-byte blocks (the ciphertext of a ${k * 8}-bit key); wrong key or truncated text`,
    );
  }
  return chunks(cipher, k);
}

const decryptError = (err: unknown, what: string, index: number, count: number): unknown =>
  err instanceof MmspEncodingError
    ? new MmspEncodingError(`${what}: block ${index + 1} of ${count}: ${err.message}`)
    : err;

// ---------------------------------------------------------------------------------------------
// Primitives (sync, pure)

/**
 * PKCS#1 v1.5 encryption of any length: (k − 11)-byte chunks (117 for 1024-bit keys), the k-byte
 * cipher blocks concatenated. A string is encrypted as UTF-8. Empty input gives one block.
 * `provider`: any synchronous provider (default `pureCrypto`; `opensslCrypto` of @mmsp/http-node is one).
 */
export function rsaEncryptSegmented(
  data: Bytes,
  publicKeyPem: string,
  provider: SyncCryptoProvider = pureCrypto,
): Uint8Array {
  const bytes = asBytes(data, 'plaintext');
  const k = keyed('publicKey', () => modulusBytes(provider, publicKeyPem, 'public'));
  const parts = bytes.length === 0 ? [bytes] : chunks(bytes, k - 11);
  return concatBytes(parts.map((p) => keyed('publicKey', () => provider.rsaEncryptBlock(publicKeyPem, p))));
}

/** Decrypts k-byte blocks (128 for 1024-bit keys) and concatenates the plaintexts; `provider` as in {@link rsaEncryptSegmented}. */
export function rsaDecryptSegmented(
  cipher: Uint8Array,
  privateKeyPem: string,
  what = 'ciphertext',
  provider: SyncCryptoProvider = pureCrypto,
): Uint8Array {
  const k = keyed('privateKey', () => modulusBytes(provider, privateKeyPem, 'private'));
  const blocks = cipherBlocks(cipher, k, what);
  return concatBytes(
    blocks.map((b, i) => {
      try {
        return keyed('privateKey', () => provider.rsaDecryptBlock(privateKeyPem, b));
      } catch (err) {
        throw decryptError(err, what, i, blocks.length);
      }
    }),
  );
}

/** SHA1withRSA (RSASSA-PKCS1-v1_5, SHA-1) signature; a string is signed as UTF-8. Deterministic. */
export function sha1WithRsaSign(data: Bytes, privateKeyPem: string): Uint8Array {
  const bytes = asBytes(data, 'data');
  return keyed('privateKey', () => pureCrypto.sha1WithRsaSign(privateKeyPem, bytes));
}

/** Verifies a SHA1withRSA signature (bytes, or base64 text). A malformed signature is `false`, a bad key throws. */
export function sha1WithRsaVerify(data: Bytes, signature: Uint8Array | string, publicKeyPem: string): boolean {
  const bytes = asBytes(data, 'data');
  const sig = signatureBytes(signature);
  if (!sig) {
    keyed('publicKey', () => modulusBytes(pureCrypto, publicKeyPem, 'public'));
    return false;
  }
  return keyed('publicKey', () => pureCrypto.sha1WithRsaVerify(publicKeyPem, bytes, sig));
}

function signatureBytes(signature: Uint8Array | string): Uint8Array | undefined {
  if (typeof signature !== 'string') return signature;
  try {
    return base64Decode(signature, 'SIGN');
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Primitives through any provider (async)

/**
 * {@link rsaEncryptSegmented} through any {@link CryptoProvider}: PKCS#1 v1.5 encryption in
 * (k − 11)-byte chunks (117 bytes for a 1024-bit key), the k-byte blocks concatenated (PROTOCOL §6).
 */
export async function rsaEncryptSegmentedWith(
  provider: CryptoProvider,
  data: Bytes,
  publicKeyPem: string,
): Promise<Uint8Array> {
  const bytes = asBytes(data, 'plaintext');
  const k = keyed('publicKey', () => modulusBytes(provider, publicKeyPem, 'public'));
  const parts = bytes.length === 0 ? [bytes] : chunks(bytes, k - 11);
  const out: Uint8Array[] = [];
  for (const p of parts) out.push(await keyedAsync('publicKey', () => provider.rsaEncryptBlock(publicKeyPem, p)));
  return concatBytes(out);
}

/**
 * {@link rsaDecryptSegmented} through any {@link CryptoProvider}: decrypts k-byte blocks with the
 * private key and concatenates them. Bad padding or a length that is not a multiple of k throws
 * `MmspEncodingError` naming `what` (never the key).
 */
export async function rsaDecryptSegmentedWith(
  provider: CryptoProvider,
  cipher: Uint8Array,
  privateKeyPem: string,
  what = 'ciphertext',
): Promise<Uint8Array> {
  const k = keyed('privateKey', () => modulusBytes(provider, privateKeyPem, 'private'));
  const blocks = cipherBlocks(cipher, k, what);
  const out: Uint8Array[] = [];
  for (let i = 0; i < blocks.length; i++) {
    try {
      out.push(await keyedAsync('privateKey', () => provider.rsaDecryptBlock(privateKeyPem, blocks[i]!)));
    } catch (err) {
      throw decryptError(err, what, i, blocks.length);
    }
  }
  return concatBytes(out);
}

/** {@link sha1WithRsaSign} through any {@link CryptoProvider}: the SHA1withRSA signature of `data` (a string is signed as UTF-8). */
export async function sha1WithRsaSignWith(
  provider: CryptoProvider,
  data: Bytes,
  privateKeyPem: string,
): Promise<Uint8Array> {
  const bytes = asBytes(data, 'data');
  return keyedAsync('privateKey', () => provider.sha1WithRsaSign(privateKeyPem, bytes));
}

/**
 * {@link sha1WithRsaVerify} through any {@link CryptoProvider}: true when `signature` (bytes or
 * base64) is the SHA1withRSA signature of `data`; false, never a throw, for a bad signature. An
 * unusable key throws `MmspConfigError`.
 */
export async function sha1WithRsaVerifyWith(
  provider: CryptoProvider,
  data: Bytes,
  signature: Uint8Array | string,
  publicKeyPem: string,
): Promise<boolean> {
  const bytes = asBytes(data, 'data');
  const sig = signatureBytes(signature);
  if (!sig) {
    keyed('publicKey', () => modulusBytes(provider, publicKeyPem, 'public'));
    return false;
  }
  return keyedAsync('publicKey', () => provider.sha1WithRsaVerify(publicKeyPem, bytes, sig));
}

// ---------------------------------------------------------------------------------------------
// Payout seal / open

function sealInput(plain: object | string): Uint8Array {
  if (typeof plain === 'string') return utf8Encode(plain, 'payout plaintext');
  if (plain === null || typeof plain !== 'object') {
    throw new MmspEncodingError(
      `payout plaintext: expected an object or JSON text, got ${plain === null ? 'null' : typeof plain}`,
    );
  }
  return utf8Encode(payoutPlaintext(plain), 'payout plaintext');
}

function checkSealKeys(keys: PayoutSealKeys | undefined): void {
  const issues = [];
  for (const field of ['platformPublicKey', 'merchantPrivateKey'] as const) {
    if (typeof keys?.[field] !== 'string' || keys[field].trim() === '') {
      issues.push({ field, rule: 'required', message: `${field}: required (a PEM string or base64 key body)` });
    }
  }
  if (issues.length) throw new MmspConfigError(issues);
}

/**
 * Seals a payout request (PROTOCOL §6): `ENCRYPT` = base64 of the segmented PKCS#1 v1.5 encryption
 * of the plaintext with `platformPublicKey`, `SIGN` = base64 SHA1withRSA of the same plaintext with
 * `merchantPrivateKey`. An object is turned into JSON text by `payoutPlaintext`; a string is
 * taken as the exact plaintext. Synchronous, with the codec's `pureCrypto`; see
 * {@link payoutSealWith} for another provider. The client does this for you (`client.payout.pay`).
 *
 * @example
 * ```ts
 * import { payoutSeal } from '@mmsp/codec';
 *
 * declare const platformPublicKey: string, merchantPrivateKey: string; // PEM or bare base64
 * const { ENCRYPT, SIGN } = payoutSeal(
 *   { CMDID: '4097', VERSION: '1.0', MERNO: '001440353999853', ORDERNO: '20261126000001', REQTIME: '20261126093000',
 *     AMT: '10000', BUSIYPE: '001', ACCNAME: '张三', ACCNO: '6222020000000000000', MEMO: '货款', ACCTYPE: '0',
 *     MOBILE: '13800000000', BANKNAME: '中国工商银行' },
 *   { platformPublicKey, merchantPrivateKey },
 * );
 * // POST {"ENCRYPT": ENCRYPT, "SIGN": SIGN} to the payout endpoint
 * ```
 */
export function payoutSeal(plain: object | string, keys: PayoutSealKeys): PayoutSealed {
  checkSealKeys(keys);
  const bytes = sealInput(plain);
  const encrypted = keyed('platformPublicKey', () => rsaEncryptSegmented(bytes, keys.platformPublicKey));
  const signature = keyed('merchantPrivateKey', () => sha1WithRsaSign(bytes, keys.merchantPrivateKey));
  return { ENCRYPT: base64Encode(encrypted), SIGN: base64Encode(signature) };
}

/**
 * {@link payoutSeal} through any {@link CryptoProvider} (OpenSSL from `@mmsp/http-node`, Web Crypto
 * from `@mmsp/fetch-edge`), with byte-identical `SIGN` and an `ENCRYPT` every provider can open.
 */
export async function payoutSealWith(
  provider: CryptoProvider,
  plain: object | string,
  keys: PayoutSealKeys,
): Promise<PayoutSealed> {
  checkSealKeys(keys);
  const bytes = sealInput(plain);
  const encrypted = await keyedAsync('platformPublicKey', () =>
    rsaEncryptSegmentedWith(provider, bytes, keys.platformPublicKey),
  );
  const signature = await keyedAsync('merchantPrivateKey', () =>
    sha1WithRsaSignWith(provider, bytes, keys.merchantPrivateKey),
  );
  return { ENCRYPT: base64Encode(encrypted), SIGN: base64Encode(signature) };
}

interface OpenPlan {
  fields: Record<string, unknown>;
  cipher: Uint8Array | undefined;
  sign: string | undefined;
}

function openPlan(response: object | string, keys: PayoutOpenKeys | undefined): OpenPlan {
  if (typeof keys?.merchantPrivateKey !== 'string' || keys.merchantPrivateKey.trim() === '') {
    throw new MmspConfigError([
      {
        field: 'merchantPrivateKey',
        rule: 'required',
        message: 'merchantPrivateKey: required to decrypt the payout response',
      },
    ]);
  }
  let fields: unknown = response;
  if (typeof response === 'string') {
    try {
      fields = JSON.parse(response);
    } catch (cause) {
      throw new MmspEncodingError('payout response: not JSON', { cause });
    }
  }
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    throw new MmspEncodingError('payout response: expected a JSON object with RETCODE, RETMSG, ENCRYPT, SIGN');
  }
  const f = fields as Record<string, unknown>;
  let cipher: Uint8Array | undefined;
  if (f.ENCRYPT !== undefined && f.ENCRYPT !== null && f.ENCRYPT !== '') {
    if (typeof f.ENCRYPT !== 'string')
      throw new MmspEncodingError(`payout response: ENCRYPT must be base64 text, got ${typeof f.ENCRYPT}`);
    cipher = base64Decode(f.ENCRYPT, 'payout response ENCRYPT');
  }
  const sign = typeof f.SIGN === 'string' && f.SIGN !== '' ? f.SIGN : undefined;
  return { fields: f, cipher, sign };
}

const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : undefined;

function openResult(plan: OpenPlan, plaintext: string | undefined, signatureChecked: boolean): PayoutOpened {
  const data = plaintext === undefined ? undefined : payoutData(plaintext);
  const pick = (...names: string[]): string | undefined => {
    for (const src of [plan.fields, data]) {
      for (const n of names) {
        const v = text(src?.[n]);
        if (v !== undefined) return v;
      }
    }
    return undefined;
  };
  return { RETCODE: pick('RETCODE'), message: pick('RETMSG', 'REMSG', 'RETMMSG'), plaintext, data, signatureChecked };
}

function signatureFailure(): MmspSignatureError {
  return new MmspSignatureError(
    'payout response: SIGN does not verify over the decrypted ENCRYPT with platformPublicKey; the response is not trusted',
  );
}

/**
 * Opens a payout response: decrypts `ENCRYPT` (when present) with `merchantPrivateKey`, verifies
 * `SIGN` over the plaintext when the response carries one and `platformPublicKey` is given
 * (`MmspSignatureError` on mismatch), and reads `RETCODE` and the message (`RETMSG`, `REMSG`
 * or `RETMMSG`). A response without `ENCRYPT` (an error answer) opens with `plaintext` undefined.
 * Synchronous, with the codec's `pureCrypto`; see {@link payoutOpenWith} for another provider.
 *
 * @example
 * ```ts
 * import { payoutOpen } from '@mmsp/codec';
 *
 * declare const responseText: string, merchantPrivateKey: string, platformPublicKey: string;
 * const opened = payoutOpen(responseText, { merchantPrivateKey, platformPublicKey });
 * if (opened.RETCODE === '0000') console.log(opened.data);      // accepted
 * else if (opened.RETCODE === '0001') console.log('unknown: query it by ORDERNO, never resend');
 * ```
 */
export function payoutOpen(response: object | string, keys: PayoutOpenKeys): PayoutOpened {
  const plan = openPlan(response, keys);
  let plaintext: string | undefined;
  let checked = false;
  if (plan.cipher) {
    const bytes = keyed('merchantPrivateKey', () =>
      rsaDecryptSegmented(plan.cipher!, keys.merchantPrivateKey, 'payout response ENCRYPT'),
    );
    plaintext = utf8Decode(bytes, 'payout response ENCRYPT plaintext');
    if (plan.sign !== undefined && keys.platformPublicKey) {
      if (!keyed('platformPublicKey', () => sha1WithRsaVerify(bytes, plan.sign!, keys.platformPublicKey!)))
        throw signatureFailure();
      checked = true;
    }
  }
  if (keys.requireSignature && !checked)
    throw new MmspSignatureError('payout response: a verified SIGN is required and none was checked');
  return openResult(plan, plaintext, checked);
}

/** {@link payoutOpen} through any {@link CryptoProvider}. */
export async function payoutOpenWith(
  provider: CryptoProvider,
  response: object | string,
  keys: PayoutOpenKeys,
): Promise<PayoutOpened> {
  const plan = openPlan(response, keys);
  let plaintext: string | undefined;
  let checked = false;
  if (plan.cipher) {
    const cipher = plan.cipher;
    const bytes = await keyedAsync('merchantPrivateKey', () =>
      rsaDecryptSegmentedWith(provider, cipher, keys.merchantPrivateKey, 'payout response ENCRYPT'),
    );
    plaintext = utf8Decode(bytes, 'payout response ENCRYPT plaintext');
    const sign = plan.sign;
    const pub = keys.platformPublicKey;
    if (sign !== undefined && pub) {
      if (!(await keyedAsync('platformPublicKey', () => sha1WithRsaVerifyWith(provider, bytes, sign, pub))))
        throw signatureFailure();
      checked = true;
    }
  }
  if (keys.requireSignature && !checked)
    throw new MmspSignatureError('payout response: a verified SIGN is required and none was checked');
  return openResult(plan, plaintext, checked);
}
