/** Gateway pay (网关 §5.1): sign the envelope, wrap it in the auto-submitting form. Nothing is sent. */
import { MmspConfigError } from '@mmsp/codec';
import type { Engine } from '../engine.js';
import { gatewayFormHtml, type GatewayForm } from './gateway.js';

export function createGatewayPay(engine: Engine) {
  return async (
    input: Record<string, unknown>,
    options: { nonce?: string; formId?: string } = {},
  ): Promise<GatewayForm> => {
    const body = engine.prepare('gateway.pay', input);
    const { text, seqId, url } = engine.envelope('gateway.pay', body);
    if (url === undefined)
      throw new MmspConfigError([
        {
          field: 'endpoints.gateway',
          rule: 'required',
          message: "endpoints.gateway is required: it is the form's action (网关 §5.1)",
        },
      ]);
    return {
      operation: 'gateway.pay',
      action: url,
      method: 'POST',
      fields: { web_api: text },
      html: gatewayFormHtml(url, text, options),
      seqId,
    };
  };
}
