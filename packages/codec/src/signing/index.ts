// The one signing route (PROTOCOL §3, docs/ARCHITECTURE.md "Signing").
export { Signer, type SignOptions } from './signer.js';
export { md5Sign, md5Verify, signingString } from './sign.js';
export { constantTimeEqual } from './key.js';
export { Md5 } from '../hash/md5.js';
