import { expect, it } from 'vitest';

// The public surface of @mmsp/codec, one snapshot per entry point (package.json `exports`). A name
// that appears or disappears here is a user-visible change: it needs a changeset. Contract names
// (issues #2, #3, #13, the READMEs, docs/ARCHITECTURE.md) must never leave the main entry.
it('exports exactly the documented names', async () => {
  expect(Object.keys(await import('@mmsp/codec')).sort()).toMatchInlineSnapshot(`
    [
      "EnvelopeWriter",
      "GATEWAY_PAY_CHANNELS",
      "Md5",
      "MmspBusinessError",
      "MmspConfigError",
      "MmspEncodingError",
      "MmspError",
      "MmspOutcomeUnknownError",
      "MmspProtocolError",
      "MmspSignatureError",
      "MmspTransportError",
      "MmspValidationError",
      "NEGATIVE_RESPONSE_COMMAND_ID",
      "NOTIFICATION_COMMAND_IDS",
      "ORDER_NO_DEFAULT_LENGTH",
      "ORDER_NO_MAX_LENGTH",
      "PhpArray",
      "PhpFloat",
      "RANDSTR_MAX_LENGTH",
      "Signer",
      "bodyCodes",
      "bodyErrCode",
      "bodyErrCodeField",
      "bodyErrCodes",
      "buildEnvelope",
      "buildNotificationBody",
      "catalogue",
      "chinaBatchHour",
      "chinaDateTime",
      "chinaTime",
      "chinaTimeMillis",
      "constantTimeEqual",
      "envelopeRetCode",
      "envelopeRetCodes",
      "fenToYuan",
      "findOperation",
      "findOperationByResponseId",
      "generateRsaKeyPair",
      "getOperation",
      "headerDefaults",
      "isChinaTime",
      "isOperationName",
      "md5Sign",
      "md5Verify",
      "negativeResponse",
      "negativeResponseCode",
      "negativeResponseCodes",
      "newOrderNo",
      "notifications",
      "openEnvelope",
      "operationNames",
      "parseChinaTime",
      "parseRequestEnvelope",
      "payoutOpen",
      "payoutOpenWith",
      "payoutPayState",
      "payoutPayStates",
      "payoutRetCode",
      "payoutRetCodes",
      "payoutSeal",
      "payoutSealWith",
      "phpJsonDecode",
      "phpJsonEncode",
      "pureCrypto",
      "randStr",
      "requiresQuery",
      "rsaDecryptSegmented",
      "rsaDecryptSegmentedWith",
      "rsaEncryptSegmented",
      "rsaEncryptSegmentedWith",
      "sha1WithRsaSign",
      "sha1WithRsaSignWith",
      "sha1WithRsaVerify",
      "sha1WithRsaVerifyWith",
      "signingString",
      "toPlain",
      "toWireJson",
      "validateRequest",
      "yuanToFen",
    ]
  `);
});

it('exports the contract names other packages rely on', async () => {
  const codec = (await import('@mmsp/codec')) as Record<string, unknown>;
  const contract = [
    'signingString',
    'md5Sign',
    'md5Verify',
    'phpJsonDecode',
    'phpJsonEncode',
    'toWireJson',
    'toPlain',
    'PhpArray',
    'buildEnvelope',
    'openEnvelope',
    'negativeResponse',
    'parseRequestEnvelope',
    'headerDefaults',
    'payoutSeal',
    'payoutOpen',
    'rsaEncryptSegmented',
    'rsaDecryptSegmented',
    'sha1WithRsaSign',
    'sha1WithRsaVerify',
    'payoutRetCodes',
    'envelopeRetCodes',
    'bodyErrCodes',
    'payoutRetCode',
    'envelopeRetCode',
    'bodyErrCode',
    'MmspError',
    'MmspConfigError',
    'MmspValidationError',
    'MmspEncodingError',
    'MmspTransportError',
    'MmspProtocolError',
    'MmspSignatureError',
    'MmspBusinessError',
    'pureCrypto',
    // Named by issues #2, #13 and #14, or by a README as importable from `@mmsp/codec`.
    'PhpFloat',
    'validateRequest',
    'buildNotificationBody',
    'MmspOutcomeUnknownError',
    'NOTIFICATION_COMMAND_IDS',
    'Signer',
    'getOperation',
    'catalogue',
    'chinaTime',
    'yuanToFen',
    'newOrderNo',
    'generateRsaKeyPair',
    'GATEWAY_PAY_CHANNELS',
  ];
  expect(contract.filter((name) => codec[name] === undefined)).toEqual([]);
});

// The specialist RSA API (`@mmsp/codec/rsa`): the key reader, PKCS#1 v1.5 and the BigInt RSA that
// the providers build on. Not in the main entry.
it('@mmsp/codec/rsa exports exactly the documented names', async () => {
  expect(Object.keys(await import('@mmsp/codec/rsa')).sort()).toMatchInlineSnapshot(`
    [
      "RsaKeyRing",
      "bigIntToBytes",
      "bytesToBigInt",
      "createPureCrypto",
      "emsaPkcs1v15Sha1",
      "generateRsaPrivateKey",
      "modInverse",
      "modPow",
      "pkcs1v15CheckBlock",
      "pkcs1v15Decrypt",
      "pkcs1v15DecryptError",
      "pkcs1v15Encrypt",
      "pkcs1v15Pad",
      "pkcs1v15Unpad",
      "readRsaPrivateKey",
      "readRsaPublicKey",
      "rsaKeyBits",
      "rsaKeyToDer",
      "rsaKeyToPem",
      "rsaPrivateKeyDer",
      "rsaPrivateOp",
      "rsaPublicKeyDer",
      "rsaPublicOp",
      "sha1WithRsaSignKey",
      "sha1WithRsaVerifyKey",
    ]
  `);
});

// The PHP JSON model (`@mmsp/codec/php`): the main entry's PHP names plus `fromJs` and `phpKsort`.
it('@mmsp/codec/php exports exactly the documented names', async () => {
  expect(Object.keys(await import('@mmsp/codec/php')).sort()).toMatchInlineSnapshot(`
    [
      "PhpArray",
      "PhpFloat",
      "fromJs",
      "phpJsonDecode",
      "phpJsonEncode",
      "phpKsort",
      "toPlain",
      "toWireJson",
    ]
  `);
});

// The catalogue (`@mmsp/codec/catalogue`): the main entry's catalogue names plus the push roles,
// `findNotifications` and the gateway's browser-return fields.
it('@mmsp/codec/catalogue exports exactly the documented names', async () => {
  expect(Object.keys(await import('@mmsp/codec/catalogue')).sort()).toMatchInlineSnapshot(`
    [
      "GATEWAY_BROWSER_RETURN_FIELDS",
      "GATEWAY_PAY_CHANNELS",
      "NOTIFICATION_COMMAND_IDS",
      "catalogue",
      "findNotifications",
      "findOperation",
      "findOperationByResponseId",
      "getOperation",
      "isOperationName",
      "notificationRoles",
      "notifications",
      "operationNames",
      "validateAgainst",
      "validateRequest",
    ]
  `);
});

// Bytes and randomness (`@mmsp/codec/bytes`) for the SDK's adapters and tools. Not in the main entry.
it('@mmsp/codec/bytes exports exactly the documented names', async () => {
  expect(Object.keys(await import('@mmsp/codec/bytes')).sort()).toMatchInlineSnapshot(`
    [
      "base64Decode",
      "base64Encode",
      "concatBytes",
      "secureRandomBytes",
      "utf8Decode",
      "utf8Encode",
    ]
  `);
});

// A subpath shares names with the main entry only as the same binding (one definition per name).
it('a name in two entries is the same value in both', async () => {
  const main = (await import('@mmsp/codec')) as Record<string, unknown>;
  for (const sub of ['@mmsp/codec/php', '@mmsp/codec/catalogue', '@mmsp/codec/rsa', '@mmsp/codec/bytes']) {
    const entry = (await import(sub)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(entry))
      if (name in main) expect(main[name], `${sub} ${name}`).toBe(value);
  }
});
