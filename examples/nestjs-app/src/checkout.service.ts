import { Injectable } from '@nestjs/common';
import { MmspService } from '@mmsp/nestjs-module';

@Injectable()
export class CheckoutService {
  constructor(private readonly mmsp: MmspService) {}

  /** A WeChat QR order (正扫): the platform answers with the code URL to show the customer. */
  async wechatQr(
    orderId: string,
    amountFen: string,
    notifyUrl: string,
  ): Promise<{ state: string | undefined; codeUrl: string }> {
    const order = await this.mmsp.scan.wechatOrder({
      TRADETYPE: '1',
      MERORDERID: orderId,
      AMT: amountFen,
      GOODSNAME: 'Example order',
      NOTIFY_URL: notifyUrl,
    });
    return { state: order.state, codeUrl: String(order.body.URL) };
  }
}
