// RSA-1024 key pairs (PROTOCOL §6: 1024-bit, PKCS#8 private, SPKI public), generated locally at first
// start and kept with the state. From node:crypto, not from the seeded generator: keys are not
// reproducible from `seed` (README "Determinism").
import { generateKeyPairSync } from 'node:crypto';

export interface KeyPair {
  publicKeyPem: string;
  privateKeyPem: string;
}

export function generateKeyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 1024,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}
