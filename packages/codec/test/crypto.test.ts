import { runProviderContract } from './provider-contract.js';
import { pureCrypto } from '../src/pure-crypto.js';

// The default provider against the OpenSSL-made vectors; other providers run the same suite.
runProviderContract(pureCrypto);
