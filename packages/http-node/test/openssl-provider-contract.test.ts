// The codec's shared CryptoProvider contract (OpenSSL-made vectors) run against opensslCrypto.
import { runProviderContract } from '../../codec/test/provider-contract.js';
import { opensslCrypto } from '../src/openssl-crypto.js';

runProviderContract(opensslCrypto);
