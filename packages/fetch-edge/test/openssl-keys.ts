// Test keys made by the openssl CLI (on every machine), in each PEM form the platform's merchants use.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OpensslKeys {
  dir: string;
  pkcs8Pem: string;
  pkcs1Pem: string;
  spkiPem: string;
  pkcs1PublicPem: string;
  pkcs8Der: Uint8Array;
  spkiDer: Uint8Array;
  pkcs8Path: string;
  spkiPath: string;
}

export function openssl(args: string[], input?: Uint8Array | string): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function makeOpensslKeys(bits = 1024): OpensslKeys {
  const dir = mkdtempSync(join(tmpdir(), 'mmsp-fe-keys-'));
  const pkcs8Path = join(dir, 'private.pkcs8.pem');
  const pkcs1Path = join(dir, 'private.pkcs1.pem');
  const spkiPath = join(dir, 'public.spki.pem');
  const pkcs1PubPath = join(dir, 'public.pkcs1.pem');
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${bits}`, '-out', pkcs8Path]);
  openssl(['rsa', '-in', pkcs8Path, '-traditional', '-out', pkcs1Path]);
  openssl(['rsa', '-in', pkcs8Path, '-pubout', '-out', spkiPath]);
  openssl(['rsa', '-in', pkcs8Path, '-RSAPublicKey_out', '-out', pkcs1PubPath]);
  const pkcs8Der = new Uint8Array(openssl(['pkcs8', '-topk8', '-nocrypt', '-in', pkcs8Path, '-outform', 'DER']));
  const spkiDer = new Uint8Array(openssl(['rsa', '-in', pkcs8Path, '-pubout', '-outform', 'DER']));
  return {
    dir,
    pkcs8Pem: readFileSync(pkcs8Path, 'utf8'),
    pkcs1Pem: readFileSync(pkcs1Path, 'utf8'),
    spkiPem: readFileSync(spkiPath, 'utf8'),
    pkcs1PublicPem: readFileSync(pkcs1PubPath, 'utf8'),
    pkcs8Der,
    spkiDer,
    pkcs8Path,
    spkiPath,
  };
}

export function writeTemp(dir: string, name: string, data: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}
