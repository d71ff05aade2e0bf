import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode } from '../src/bytes/encoding.js';
import forge from 'node-forge';
import { readRsaPrivateKey, readRsaPublicKey, rsaKeyBits } from '../src/rsa/key.js';
import { vectorKeys, type VectorKeyName } from './fixtures/provider-vectors.js';

// rsa/key.ts is the one key reader. It must accept and reject exactly what node-forge's key
// readers (the codec's reader before it had its own, kept here as an independent reference)
// accept and reject, for the same reason: both are run on the same texts, well-formed and
// damaged, and their outcomes compared. The text layer (PEM armour, base64) is the codec's own
// in both; node-forge reads the DER, and gives the same numbers.

type Kind = 'private' | 'public';
type Outcome = { ok: true } | { ok: false; name: string; issues: unknown };

const outcome = (fn: () => unknown): Outcome => {
  try {
    fn();
    return { ok: true };
  } catch (err) {
    const e = err as { name: string; issues?: unknown };
    return { ok: false, name: e.name, issues: e.issues };
  }
};

const field = (kind: Kind) => (kind === 'private' ? 'privateKey' : 'publicKey');
const issue = (kind: Kind, rule: string, reason: string): Outcome => ({
  ok: false,
  name: 'MmspConfigError',
  issues: [{ field: field(kind), rule, message: `${field(kind)}: ${reason}` }],
});
const toBinary = (b: Uint8Array): string => String.fromCharCode(...b);
const hexOf = (n: bigint): string => n.toString(16);

/** node-forge's reading of the DER the codec's text layer gave; the numbers are compared too. */
function forgeOutcome(text: string, kind: Kind, ours: Outcome): Outcome {
  // The text layer (required, PEM armour and labels, base64) is shared: only DER errors and successes differ.
  if (!ours.ok && ['required', 'pem'].includes((ours.issues as { rule: string }[])[0]!.rule)) return ours;
  const normal = text.replace(/\\r/g, '').replace(/\\n/g, '\n').trim();
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END/.exec(normal);
  const label = m?.[1];
  const der = base64Decode((m ? m[2]! : normal).replace(/\s+/g, ''));
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(toBinary(der), { strict: true, parseAllBytes: true } as never);
  } catch {
    return issue(
      kind,
      'der',
      label
        ? 'the PEM body is not valid DER (truncated or damaged)'
        : 'neither PEM ("-----BEGIN ...") nor the base64 DER body of a key',
    );
  }
  const tryPrivate = (a: forge.asn1.Asn1) => {
    try {
      const k = forge.pki.privateKeyFromAsn1(a) as forge.pki.rsa.PrivateKey;
      return k && k.n && k.d ? k : undefined;
    } catch {
      return undefined;
    }
  };
  const tryPublic = (a: forge.asn1.Asn1) => {
    try {
      const k = forge.pki.publicKeyFromAsn1(a) as forge.pki.rsa.PublicKey;
      return k && k.n && k.e ? k : undefined;
    } catch {
      return undefined;
    }
  };
  const certificate = (a: forge.asn1.Asn1) => {
    const tbs = Array.isArray(a.value) ? a.value[0] : undefined;
    for (const part of tbs && Array.isArray(tbs.value) ? tbs.value : []) {
      if (part.tagClass !== forge.asn1.Class.UNIVERSAL || part.type !== forge.asn1.Type.SEQUENCE) continue;
      const k = tryPublic(part);
      if (k) return k;
    }
    return undefined;
  };
  const key = kind === 'private' ? tryPrivate(asn1) : label === 'CERTIFICATE' ? certificate(asn1) : tryPublic(asn1);
  if (!key) {
    if (label === undefined && (kind === 'private' ? tryPublic(asn1) : tryPrivate(asn1))) {
      return issue(
        kind,
        'keyType',
        kind === 'private'
          ? 'this is a public key, a private key is expected (the two keys are swapped?)'
          : 'this is a private key, a public key is expected (the two keys are swapped?)',
      );
    }
    return issue(
      kind,
      'keyType',
      kind === 'private'
        ? 'not an RSA private key in PKCS#8 or PKCS#1 form'
        : 'not an RSA public key in SPKI or PKCS#1 form',
    );
  }
  const bits = key.n.bitLength();
  if (bits < 512) return issue(kind, 'keySize', `an RSA modulus of ${bits} bits is too small (the platform uses 1024)`);
  // The same numbers as the codec's reader.
  const mine = kind === 'private' ? readRsaPrivateKey(text) : readRsaPublicKey(text);
  expect(hexOf(mine.n)).toBe(key.n.toString(16));
  expect(hexOf(mine.e)).toBe(key.e.toString(16));
  if (kind === 'private') {
    const k = key as forge.pki.rsa.PrivateKey;
    const p = mine as ReturnType<typeof readRsaPrivateKey>;
    expect([p.d, p.p, p.q, p.dp, p.dq, p.qinv].map(hexOf)).toEqual(
      [k.d, k.p, k.q, k.dP, k.dQ, k.qInv].map((x) => x.toString(16)),
    );
  }
  return { ok: true };
}

function compare(text: string, kind: Kind): Outcome {
  const ours = outcome(() => rsaKeyBits(text, kind));
  expect(ours).toEqual(forgeOutcome(text, kind, ours));
  return ours;
}

const armour = (label: string, der: Uint8Array): string =>
  `-----BEGIN ${label}-----\n${base64Encode(der).replace(/.{64}(?=.)/g, '$&\n')}\n-----END ${label}-----\n`;
const labelOf = (pem: string): string => /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)![1]!;
const derOf = (pem: string): Uint8Array => base64Decode(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));

const names: VectorKeyName[] = ['merchant', 'platform', 'big'];
const allForms = names.flatMap((name) =>
  Object.entries(vectorKeys[name]).map(([form, pem]) => ({ name, form, pem: pem as string })),
);

describe('the key reader reads keys as node-forge does', () => {
  it('gives the modulus size of every key form, openssl-made (fixtures/rsa)', () => {
    for (const { name, form, pem } of allForms) {
      const kind: Kind = form === 'pkcs8' || form === 'pkcs1' ? 'private' : 'public';
      expect(rsaKeyBits(pem, kind), `${name} ${form}`).toBe(name === 'big' ? 2048 : 1024);
      // A bare certificate body is not a key (only armoured CERTIFICATE text is read as one).
      if (form !== 'certificate')
        expect(rsaKeyBits(base64Encode(derOf(pem)), kind), `${name} bare ${form}`).toBe(name === 'big' ? 2048 : 1024);
    }
  });

  it('accepts and rejects every form, armoured and bare, as either kind, exactly as node-forge does', () => {
    let rejected = 0;
    for (const { pem } of allForms) {
      for (const kind of ['private', 'public'] as const) {
        for (const text of [pem, base64Encode(derOf(pem)), pem.trim().replace(/\n/g, '\\n')]) {
          if (!compare(text, kind).ok) rejected++;
        }
      }
    }
    expect(rejected).toBeGreaterThan(20); // the swapped kinds are refused
  });

  it('fails the same way on truncated and damaged DER (property, node-forge as the reference)', () => {
    const forms = fc.constantFrom(...allForms.filter((f) => f.name !== 'big'));
    fc.assert(
      fc.property(
        forms,
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }),
        fc.option(fc.nat()),
        (f, bare, flips, cut) => {
          const der = derOf(f.pem).slice();
          for (const [at, x] of flips) der[at % der.length]! ^= x;
          const damaged = cut === null ? der : der.subarray(0, cut % der.length);
          const text = bare ? base64Encode(damaged) : armour(labelOf(f.pem), damaged);
          compare(text, 'private');
          compare(text, 'public');
        },
      ),
      { numRuns: 400, seed: 6 },
    );
  });

  it('refuses non-keys with the same errors', () => {
    for (const text of [
      '',
      'not a key',
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PUBLIC KEY-----',
      '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----',
      'MAMCAQA=',
    ]) {
      for (const kind of ['private', 'public'] as const) expect(compare(text, kind).ok).toBe(false);
    }
  });
});
