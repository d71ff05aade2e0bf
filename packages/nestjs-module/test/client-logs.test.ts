/**
 * Issue #15 item 5: without a `logger` option, the client's log lines go through Nest's `Logger`
 * (context `MmspClient`), one line per event with its fields, and nothing reaches the console on
 * the side. A custom LoggerService set on the testing module sees them; the sandbox answers.
 * Also: `retry` and `appInfo` pass through `MmspModule.forRoot`, checked at boot.
 */
import type { LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Sandbox, SandboxMerchant } from '@mmsp/sandbox';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MmspConfigError } from '@mmsp/client';
import { MmspModule, MmspService, type MmspModuleOptions } from '../src/index.js';
import { digitsId, optionsFor, sandboxWithMerchant } from './support/sandbox.js';

class CapturingLogger implements LoggerService {
  readonly lines: { level: string; message: unknown; context: unknown }[] = [];
  log(message: unknown, context?: unknown) {
    this.lines.push({ level: 'log', message, context });
  }
  warn(message: unknown, context?: unknown) {
    this.lines.push({ level: 'warn', message, context });
  }
  error(message: unknown, context?: unknown) {
    this.lines.push({ level: 'error', message, context });
  }
  debug(message: unknown, context?: unknown) {
    this.lines.push({ level: 'debug', message, context });
  }
  verbose(message: unknown, context?: unknown) {
    this.lines.push({ level: 'verbose', message, context });
  }
}

let sandbox: Sandbox;
let merchant: SandboxMerchant;
beforeAll(async () => {
  ({ sandbox, merchant } = await sandboxWithMerchant());
});
afterAll(async () => {
  await sandbox?.close();
});

const withoutLogger = (extra: Partial<MmspModuleOptions> = {}): MmspModuleOptions => {
  const { logger: _none, ...options } = optionsFor(merchant, { notifyPath: false, ...extra });
  return options;
};

describe("the client's logs through Nest's Logger", () => {
  it('one line per event, with its fields, context MmspClient; none on the console', async () => {
    const capture = new CapturingLogger();
    const consoleWarn = vi.spyOn(console, 'warn');
    const consoleError = vi.spyOn(console, 'error');
    const moduleRef = await Test.createTestingModule({ imports: [MmspModule.forRoot(withoutLogger())] })
      .setLogger(capture)
      .compile();
    await moduleRef.init();
    try {
      const mmsp = moduleRef.get(MmspService);
      const orderNo = digitsId();
      // The payout is carried out, its answer lost: the client warns once and queries (never resends).
      sandbox.injectFault('reset-after', { match: { operation: 'payout.pay', merchantOrderId: orderNo } });
      const result = await mmsp.payout.pay({
        ORDERNO: orderNo,
        AMT: '1500',
        BUSIYPE: '001',
        ACCNAME: '李四',
        ACCNO: '6222020200112231111',
        MEMO: 'log',
        ACCTYPE: '0',
        MOBILE: '13800138000',
        BANKNAME: '工商银行',
      } as never);
      expect(result.operation).toBe('payout.query');
      const client = capture.lines.filter((l) => l.context === 'MmspClient');
      const warnings = client.filter((l) => l.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.message).toBe(
        `payout.pay: outcome of ORDERNO ${orderNo} unknown (MmspTransportError); querying, never resending {"operation":"payout.pay","ORDERNO":"${orderNo}"}`,
      );
      // Debug lines (one per request and per answer) carry the body as fields, card data masked.
      const sent = client.filter((l) => l.level === 'debug' && String(l.message).startsWith('→ payout.pay '));
      expect(sent).toHaveLength(1);
      expect(String(sent[0]!.message)).toContain('"ACCNO":"***************1111"');
      expect(JSON.stringify(capture.lines)).not.toContain('6222020200112231111');
      expect(JSON.stringify(capture.lines)).not.toContain(merchant.key);
      for (const line of client) expect(typeof line.message === 'string' && !line.message.includes('\n')).toBe(true);
      expect(consoleWarn).not.toHaveBeenCalled();
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      consoleWarn.mockRestore();
      consoleError.mockRestore();
      await moduleRef.close();
    }
  });

  it('a logger given in the options is used instead of Nest’s', async () => {
    const capture = new CapturingLogger();
    const mine: string[] = [];
    const moduleRef = await Test.createTestingModule({
      imports: [
        MmspModule.forRoot(optionsFor(merchant, { notifyPath: false, logger: { debug: (m) => mine.push(m) } })),
      ],
    })
      .setLogger(capture)
      .compile();
    await moduleRef.init();
    try {
      await moduleRef
        .get(MmspService)
        .scan.query({ MERORDERID: `L${Date.now()}` } as never)
        .catch(() => undefined); // no such order
      expect(mine[0]).toBe('→ scan.query');
      expect(capture.lines.filter((l) => l.context === 'MmspClient')).toEqual([]);
    } finally {
      await moduleRef.close();
    }
  });
});

describe('retry and appInfo through MmspModule.forRoot', () => {
  it('retry.attempts is honoured for queries against the sandbox', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        MmspModule.forRoot(
          optionsFor(merchant, {
            notifyPath: false,
            retry: { attempts: 2, baseDelayMs: 1 },
            appInfo: { name: 'NestShop' },
          }),
        ),
      ],
    }).compile();
    try {
      const id = `R${Date.now()}`;
      const fault = sandbox.injectFault('reset-before', {
        match: { operation: 'scan.query', merchantOrderId: id },
        times: 0,
      });
      await expect(moduleRef.get(MmspService).scan.query({ MERORDERID: id } as never)).rejects.toThrow(
        /reset|closed|socket/i,
      );
      expect(fault.hits).toBe(2);
      sandbox.clearFaults();
    } finally {
      await moduleRef.close();
    }
  });

  it('bad settings fail the boot with an MmspConfigError naming each field', async () => {
    const failure = await Test.createTestingModule({
      imports: [MmspModule.forRoot(optionsFor(merchant, { retry: { attempts: 0 }, appInfo: { name: '' } }))],
    })
      .compile()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(failure).toBeInstanceOf(MmspConfigError);
    expect((failure as MmspConfigError).issues.map((i) => i.field)).toEqual(['retry.attempts', 'appInfo.name']);
  });
});
