import type { MmspModuleOptions } from '@mmsp/nestjs-module';

/**
 * The MMSP merchant configuration, from the environment (never commit the MD5 key or the RSA
 * private key). Against the sandbox, `mmsp-sandbox` prints these values (`GET /_sandbox/merchant`).
 */
export function mmspOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): MmspModuleOptions {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  return {
    merchantNo: required('MMSP_MERCHANT_NO'),
    terminalNo: required('MMSP_TERMINAL_NO'),
    key: required('MMSP_KEY'),
    endpoints: {
      scan: required('MMSP_SCAN_URL'),
      ...(env.MMSP_QUICK_PAY_URL ? { quickPay: env.MMSP_QUICK_PAY_URL } : {}),
      ...(env.MMSP_GATEWAY_URL ? { gateway: env.MMSP_GATEWAY_URL } : {}),
    },
    notifyPath: '/mmsp/notify',
  };
}
