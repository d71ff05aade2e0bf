// @mmsp/http-node — MMSP for Node: node:http transport, OpenSSL crypto, notification receiver.
export { opensslCrypto, opensslDecryptsPkcs1 } from './openssl-crypto.js';
export { nodeHttpTransport } from './node-transport.js';
export type { NodeTransport, NodeTransportOptions, NodeTlsOptions } from './node-transport.js';
