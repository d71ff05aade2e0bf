// The codec's shared CryptoProvider contract (OpenSSL-made vectors), every key form included.
import { runProviderContract } from '../../codec/test/provider-contract.js';
import { webCryptoProvider } from '../src/web-crypto-provider.js';

runProviderContract(webCryptoProvider);
