/**
 * A throwaway CA, a server certificate for 127.0.0.1/localhost and a merchant client certificate,
 * made with the openssl command line for the TLS tests (never committed: fresh per run).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsFixtures {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  clientPfx: Buffer;
  pfxPassphrase: string;
}

export function makeTlsFixtures(): TlsFixtures {
  const dir = mkdtempSync(join(tmpdir(), 'mmsp-tls-'));
  const f = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=MMSP Test CA',
  );
  writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('server.key'),
    '-out',
    f('server.csr'),
    '-subj',
    '/CN=localhost',
  );
  ssl(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('server.pem'),
    '-days',
    '2',
    '-extfile',
    f('server.ext'),
  );
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('client.key'),
    '-out',
    f('client.csr'),
    '-subj',
    '/CN=merchant-001440353999853',
  );
  ssl(
    'x509',
    '-req',
    '-in',
    f('client.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('client.pem'),
    '-days',
    '2',
  );
  ssl(
    'pkcs12',
    '-export',
    '-in',
    f('client.pem'),
    '-inkey',
    f('client.key'),
    '-out',
    f('client.p12'),
    '-passout',
    'pass:pfx-secret-pass',
  );
  const read = (name: string) => readFileSync(f(name), 'utf8');
  return {
    ca: read('ca.pem'),
    serverCert: read('server.pem'),
    serverKey: read('server.key'),
    clientCert: read('client.pem'),
    clientKey: read('client.key'),
    clientPfx: readFileSync(f('client.p12')),
    pfxPassphrase: 'pfx-secret-pass',
  };
}

/** A self-signed certificate for 127.0.0.1/localhost (an https:// proxy's own): it is its own CA. */
export function makeSelfSigned(cn = 'MMSP Test Proxy'): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mmsp-tls-'));
  const f = (name: string) => join(dir, name);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      f('key.pem'),
      '-out',
      f('cert.pem'),
      '-days',
      '2',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return { cert: readFileSync(f('cert.pem'), 'utf8'), key: readFileSync(f('key.pem'), 'utf8') };
}
