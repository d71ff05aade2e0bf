import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode } from '../src/bytes.js';
import { clearKeyCache, rsaKeyToDer } from '../src/pure-crypto.js';
import { rsaKeyBits } from '../src/rsa-key.js';
import { vectorKeys, type VectorKeyName } from './fixtures/provider-vectors.js';

// rsa-key.ts reads keys without node-forge for the provider-based payout functions. It must accept
// and reject exactly what the pure provider (node-forge) accepts and rejects, with the same error:
// both are run on the same texts, well-formed and damaged, and their outcomes compared.

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

function compare(text: string, kind: Kind): Outcome {
  clearKeyCache();
  const ours = outcome(() => rsaKeyBits(text, kind));
  const forge = outcome(() => rsaKeyToDer(text, kind));
  expect(ours).toEqual(forge);
  return ours;
}

const armour = (label: string, der: Uint8Array): string => `-----BEGIN ${label}-----\n${base64Encode(der).replace(/.{64}(?=.)/g, '$&\n')}\n-----END ${label}-----\n`;
const labelOf = (pem: string): string => /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)![1]!;
const derOf = (pem: string): Uint8Array => base64Decode(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));

const names: VectorKeyName[] = ['merchant', 'platform', 'big'];
const allForms = names.flatMap((name) => Object.entries(vectorKeys[name]).map(([form, pem]) => ({ name, form, pem: pem as string })));

describe('rsaKeyBits (no node-forge) reads keys as the pure provider does', () => {
  it('gives the modulus size of every key form, openssl-made (fixtures/rsa)', () => {
    for (const { name, form, pem } of allForms) {
      const kind: Kind = form === 'pkcs8' || form === 'pkcs1' ? 'private' : 'public';
      expect(rsaKeyBits(pem, kind), `${name} ${form}`).toBe(name === 'big' ? 2048 : 1024);
      // A bare certificate body is not a key (only armoured CERTIFICATE text is read as one).
      if (form !== 'certificate') expect(rsaKeyBits(base64Encode(derOf(pem)), kind), `${name} bare ${form}`).toBe(name === 'big' ? 2048 : 1024);
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
      fc.property(forms, fc.boolean(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }), fc.option(fc.nat()), (f, bare, flips, cut) => {
        const der = derOf(f.pem).slice();
        for (const [at, x] of flips) der[at % der.length]! ^= x;
        const damaged = cut === null ? der : der.subarray(0, cut % der.length);
        const text = bare ? base64Encode(damaged) : armour(labelOf(f.pem), damaged);
        compare(text, 'private');
        compare(text, 'public');
      }),
      { numRuns: 400, seed: 6 },
    );
  });

  it('refuses non-keys with the same errors', () => {
    for (const text of ['', 'not a key', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PUBLIC KEY-----', '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----', 'MAMCAQA=']) {
      for (const kind of ['private', 'public'] as const) expect(compare(text, kind).ok).toBe(false);
    }
  });
});
