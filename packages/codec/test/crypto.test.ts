import { runProviderContract } from './provider-contract.js';
import { pureCrypto } from '../src/rsa/pure.js';

// The default provider against the OpenSSL-made vectors; other providers run the same suite.
runProviderContract(pureCrypto);
