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
    return { mode: this.ctx.settings.mode, baseUrl: this.ctx.baseUrl, notifyUrl: this.ctx.notifyUrl, sandboxUrl: this.ctx.sandbox?.url ?? null, endpoints: this.ctx.settings.endpoints };
  }

  @Get('orders/version')
  @Header('Cache-Control', 'no-store')
  ordersVersion(): { version: string } {
    const latest = this.db.orders(1)[0];
    const row = this.db.db.prepare('SELECT COUNT(*) AS n, MAX(updatedAt) AS u FROM orders').get() as { n: number; u: number | null };
    return { version: `${row.n}:${row.u ?? 0}:${latest?.id ?? ''}` };
  }

  @Get('orders/:id')
  @Header('Cache-Control', 'no-store')
  order(@Param('id') id: string): Record<string, unknown> {
    const o = this.db.order(id);
    if (!o) throw new NotFoundException(`no order ${id}`);
    return {
      id: o.id, family: o.family, method: o.method, amount: o.amount, state: o.state, stateSource: o.stateSource,
      platformOrderId: o.platformOrderId, refunded: o.refunded, message: o.message, payUrl: currentPayUrl(this.ctx, o.payUrl),
      detail: this.db.detail(o), version: `${o.state}:${o.updatedAt}`,
    };
  }

  @Get('payouts/version')
  @Header('Cache-Control', 'no-store')
  payoutsVersion(): { version: string } {
    const row = this.db.db.prepare('SELECT COUNT(*) AS n, MAX(updatedAt) AS u FROM payouts').get() as { n: number; u: number | null };
    return { version: `${row.n}:${row.u ?? 0}` };
  }

  @Get('payouts')
  @Header('Cache-Control', 'no-store')
  payouts(): unknown {
    return this.db.payouts();
  }

  @Get('log/version')
  @Header('Cache-Control', 'no-store')
  logVersion(): { version: number } {
    return { version: this.db.log(0, 1)[0]?.id ?? 0 };
  }

  @Get('log')
  @Header('Cache-Control', 'no-store')
  log(): unknown {
    return this.db.log(0, 500);
  }
}
