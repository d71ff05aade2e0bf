/**
 * The contract every `SendLedger` must pass (issue #13 item 4: the same money-moving request is
 * never sent twice, from one instance or several). `MemorySendLedger`, `RedisSendLedger` and
 * `PostgresSendLedger` all run this very suite:
 *
 *   import { runSendLedgerContract } from '../../client/test/support/send-ledger-contract.js';
 *   runSendLedgerContract((o) => new RedisSendLedger({ redis: url, keyPrefix, ...o }), { name: 'redis', sharedBackend: true });
 *
 * Keys are random per test, so a persistent backend may be shared by every test without cleanup.
 * Expiry is tested with real time (a short `ttlMs`, then a real wait): Redis and PostgreSQL expire
 * with their own clocks.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { sendLedgerKey, type SendLedger } from '../../src/send-ledger.js';

export interface SendLedgerContractOptions {
  /** Label in the test names, e.g. `redis`. */
  name?: string;
  /** `true` when two ledgers made by the factory share one backend: two instances racing on one key, exactly one wins. */
  sharedBackend?: boolean;
  /** Entry lifetime of the expiry test; default 300 ms. */
  shortTtlMs?: number;
  /** Called once after the suite, e.g. to close the ledgers' connections. */
  cleanup?: (ledgers: SendLedger[]) => unknown | Promise<unknown>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
let counter = 0;
const freshKey = (label: string, operation = 'payout.pay') =>
  sendLedgerKey(
    '001440353999853',
    operation,
    `${label}${Date.now().toString(36)}${Math.random().toString(36).slice(2)}${++counter}`,
  );

export function runSendLedgerContract(
  makeLedger: (options: { ttlMs?: number }) => SendLedger | Promise<SendLedger>,
  options: SendLedgerContractOptions = {},
): void {
  const name = options.name ?? 'ledger';
  const shortTtl = options.shortTtlMs ?? 300;
  const made: SendLedger[] = [];
  const make = async (o: { ttlMs?: number } = {}) => {
    const ledger = await makeLedger(o);
    made.push(ledger);
    return ledger;
  };

  describe(`SendLedger contract: ${name}`, () => {
    afterAll(async () => {
      await options.cleanup?.(made);
    });

    it('reserves a fresh key (undefined: send) and answers every later reserve with the record held', async () => {
      const ledger = await make();
      const key = freshKey('fresh');
      expect(await ledger.reserve(key, { sentAt: 1_700_000_000_000 })).toBeUndefined();
      expect(await ledger.reserve(key, { sentAt: 1_700_000_009_999 })).toEqual({ sentAt: 1_700_000_000_000 });
      expect(await ledger.reserve(key, { sentAt: 1_700_000_019_999 })).toEqual({ sentAt: 1_700_000_000_000 });
    });

    it('keeps keys apart: another order number, another operation, another merchant', async () => {
      const ledger = await make();
      const order = `k${Date.now()}${Math.random().toString(36).slice(2)}`;
      const keys = [
        sendLedgerKey('001440353999853', 'scan.wechatMicropay', order),
        sendLedgerKey('001440353999853', 'scan.refund', order),
        sendLedgerKey('001440353999854', 'scan.wechatMicropay', order),
        sendLedgerKey('001440353999853', 'scan.wechatMicropay', `${order}1`),
        sendLedgerKey('001440353999853', 'quickPay.confirmSms', `${order}:名 %/`),
      ];
      for (const key of keys) expect(await ledger.reserve(key, { sentAt: 1 })).toBeUndefined();
      for (const key of keys) expect(await ledger.reserve(key, { sentAt: 2 })).toEqual({ sentAt: 1 });
    });

    it('remembers a refusal written by update, with its code, meaning and message', async () => {
      const ledger = await make();
      const key = freshKey('refused');
      expect(await ledger.reserve(key, { sentAt: 5 })).toBeUndefined();
      const refused = { platformCode: '1031', meaning: '商户余额不足', platformMessage: '余额不足' };
      await ledger.update(key, { sentAt: 6, refused });
      expect(await ledger.reserve(key, { sentAt: 7 })).toEqual({ sentAt: 6, refused });
    });

    it('forget frees the key at once: the next reserve wins (the request never left)', async () => {
      const ledger = await make();
      const key = freshKey('forget');
      expect(await ledger.reserve(key, { sentAt: 1 })).toBeUndefined();
      await ledger.forget(key);
      expect(await ledger.reserve(key, { sentAt: 2 })).toBeUndefined();
      expect(await ledger.reserve(key, { sentAt: 3 })).toEqual({ sentAt: 2 });
      await ledger.forget(freshKey('never-reserved')); // forgetting an absent key is no error
    });

    it('concurrent reserves of one key through one ledger: exactly one wins', async () => {
      const ledger = await make();
      const key = freshKey('race1');
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => ledger.reserve(key, { sentAt: i })));
      const winners = answers.filter((a) => a === undefined);
      expect(winners).toHaveLength(1);
      const winner = answers.indexOf(undefined);
      for (const a of answers) if (a !== undefined) expect(a).toEqual({ sentAt: winner });
    });

    it(`an entry expires after the ledger's ttlMs (${shortTtl} ms): the key may be reserved again`, async () => {
      const ledger = await make({ ttlMs: shortTtl });
      const key = freshKey('ttl');
      expect(await ledger.reserve(key, { sentAt: 1 })).toBeUndefined();
      expect(await ledger.reserve(key, { sentAt: 2 })).toEqual({ sentAt: 1 });
      await sleep(shortTtl * 2 + 100);
      expect(await ledger.reserve(key, { sentAt: 3 })).toBeUndefined();
      expect(await ledger.reserve(key, { sentAt: 4 })).toEqual({ sentAt: 3 });
    });

    if (options.sharedBackend) {
      it("two ledgers on one backend (two instances, or a restart) see each other's entries", async () => {
        const first = await make();
        const second = await make();
        const key = freshKey('shared');
        expect(await first.reserve(key, { sentAt: 11 })).toBeUndefined();
        expect(await second.reserve(key, { sentAt: 12 })).toEqual({ sentAt: 11 });
        await second.update(key, { sentAt: 13, refused: { platformCode: 'S2' } });
        expect(await first.reserve(key, { sentAt: 14 })).toEqual({ sentAt: 13, refused: { platformCode: 'S2' } });
        await first.forget(key);
        expect(await second.reserve(key, { sentAt: 15 })).toBeUndefined();
      });

      it('two ledgers on one backend racing on the same order numbers: exactly one reserve wins each', async () => {
        const a = await make();
        const b = await make();
        for (let round = 0; round < 25; round++) {
          const key = freshKey(`race2-${round}-`);
          const answers = await Promise.all(
            Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).reserve(key, { sentAt: 100 + i })),
          );
          expect(answers.filter((x) => x === undefined)).toHaveLength(1);
        }
      });
    }
  });
}
