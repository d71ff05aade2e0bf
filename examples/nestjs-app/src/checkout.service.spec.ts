import { Test, TestingModule } from '@nestjs/testing';
import { MmspModule } from '@mmsp/nestjs-module';
import { startSandbox, type Sandbox } from '@mmsp/sandbox';
import { CheckoutService } from './checkout.service';

describe('CheckoutService', () => {
  let sandbox: Sandbox;
  let moduleRef: TestingModule;
  let checkout: CheckoutService;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    const { merchantNo, terminalNo, key, endpoints } = sandbox.merchant;
    moduleRef = await Test.createTestingModule({
      imports: [MmspModule.forRoot({ merchantNo, terminalNo, key, endpoints, notifyPath: false })],
      providers: [CheckoutService],
    }).compile();
    checkout = moduleRef.get(CheckoutService);
  }, 30_000);

  afterAll(async () => {
    await moduleRef?.close();
    await sandbox?.close();
  });

  it('places a WeChat QR order on the platform (the sandbox) and gets its code URL', async () => {
    const orderId = `NEST${Date.now()}`;
    const result = await checkout.wechatQr(orderId, '100', 'https://shop.example/mmsp/notify');
    expect(result.state).toBe('pending');
    expect(result.codeUrl).toMatch(/^(weixin|https?):\/\//);
    expect(sandbox.orders().find((o) => o.merchantOrderId === orderId)).toMatchObject({
      family: 'scan',
      amount: '100',
    });
  });
});
