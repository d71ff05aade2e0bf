/** Small JSON endpoints the pages poll to update themselves (and the tests read). */
import { Controller, Get, Header, Inject, NotFoundException, Param } from '@nestjs/common';
import { currentPayUrl, type DemoContext } from './context.js';
import { ShopDb } from './db.js';
import { DEMO_CONTEXT, SHOP_DB } from './tokens.js';

@Controller('api')
export class ApiController {
  constructor(
    @Inject(SHOP_DB) private readonly db: ShopDb,
    @Inject(DEMO_CONTEXT) private readonly ctx: DemoContext,
  ) {}

  /** Where the shop runs and what it talks to (no credentials). */
  @Get('about')
  @Header('Cache-Control', 'no-store')
  about(): Record<string, unknown> {
    return {
      mode: this.ctx.settings.mode,
      baseUrl: this.ctx.baseUrl,
      notifyUrl: this.ctx.notifyUrl,
      sandboxUrl: this.ctx.sandbox?.url ?? null,
      endpoints: this.ctx.settings.endpoints,
    };
  }

  @Get('orders/version')
  @Header('Cache-Control', 'no-store')
  ordersVersion(): { version: string } {
    return { version: this.db.ordersVersion() };
  }

  @Get('orders/:id')
  @Header('Cache-Control', 'no-store')
  order(@Param('id') id: string): Record<string, unknown> {
    const o = this.db.order(id);
    if (!o) throw new NotFoundException(`no order ${id}`);
    return {
      id: o.id,
      family: o.family,
      method: o.method,
      amount: o.amount,
      state: o.state,
      stateSource: o.stateSource,
      platformOrderId: o.platformOrderId,
      refunded: o.refunded,
      message: o.message,
      payUrl: currentPayUrl(this.ctx, o.payUrl),
      detail: this.db.detail(o),
      version: this.db.orderVersion(o),
    };
  }

  @Get('payouts/version')
  @Header('Cache-Control', 'no-store')
  payoutsVersion(): { version: string } {
    return { version: this.db.payoutsVersion() };
  }

  @Get('payouts')
  @Header('Cache-Control', 'no-store')
  payouts(): unknown {
    return this.db.payouts();
  }

  @Get('log/version')
  @Header('Cache-Control', 'no-store')
  logVersion(): { version: string } {
    return { version: this.db.logVersion() };
  }

  @Get('log')
  @Header('Cache-Control', 'no-store')
  log(): unknown {
    return this.db.log(0, 500);
  }
}
