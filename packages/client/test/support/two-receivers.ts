/**
 * Two receiver processes sharing one store receive the same notification (PROTOCOL §5: the platform
 * retries, a load balancer may send the copies to different instances). Every shared
 * `NotificationStore` (@mmsp/store-redis, @mmsp/store-postgres) runs this very suite with real
 * processes, a real server and signed notifications:
 *
 *   import { runTwoReceivers } from '../../client/test/support/two-receivers.js';
 *   runTwoReceivers(fileURLToPath(new URL('./support/child-store.ts', import.meta.url)), {
 *     backend: 'Redis', storeUrl: testRedisUrl(), storeName: (tag) => `mmsp-${tag}:${process.pid}:${Date.now()}:`,
 *   });
 *
 * `storeModule` exports `makeStore(url, name)`; it is bundled into each receiver process.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReceiver, deliver, readRuns, startReceiver, type Receiver } from './receiver-processes.js';

export interface TwoReceiversOptions {
  /** The backend's name in the test names, e.g. `Redis`. */
  backend: string;
  /** Where the store's server is (given to `makeStore`). */
  storeUrl: string;
  /** A fresh store name for `tag` (`2p`, `crash`), valid for the backend: a Redis key prefix, a Postgres table. */
  storeName: (tag: string) => string;
}

const CLAIM_TTL_MS = 2_500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The runs of `id` from `RUN_LOG.times`: [start, end) per run; a run of a killed process ends when it was killed. */
function runsOf(
  runLog: string,
  id: string,
  killedAt: ReadonlyMap<number, number>,
): { pid: number; start: number; end: number; completed: boolean }[] {
  const runs: { pid: number; start: number; end: number; completed: boolean }[] = [];
  for (const line of readRuns(`${runLog}.times`)) {
    const [ts, what, pid, ...rest] = line.split(' ');
    if (rest.join(' ') !== id) continue;
    if (what === 'start') {
      runs.push({
        pid: Number(pid),
        start: Number(ts),
        end: killedAt.get(Number(pid)) ?? Number.POSITIVE_INFINITY,
        completed: false,
      });
    } else {
      const run = runs.find((r) => r.pid === Number(pid) && !r.completed && r.end >= Number(ts));
      if (run) Object.assign(run, { end: Number(ts), completed: what === 'end' });
    }
  }
  return runs;
}

/** How many pairs of runs of the same notification overlapped in time (the handler concurrently twice). */
function overlapsOf(runs: { start: number; end: number }[]): number {
  let count = 0;
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++)
      if (runs[i]!.start < runs[j]!.end && runs[j]!.start < runs[i]!.end) count++;
  }
  return count;
}

/**
 * The platform retrying `id` while earlier deliveries are still unanswered: a copy to each receiver
 * every `everyMs`, until one answer is SUCCESS or `forMs` passed; resolves with every answer.
 */
async function retryConcurrently(
  urls: string[],
  id: string,
  everyMs: number,
  forMs: number,
): Promise<{ status: number; body: string }[]> {
  const answers: Promise<{ status: number; body: string }>[] = [];
  let succeeded = false;
  const until = Date.now() + forMs;
  for (let i = 0; !succeeded && Date.now() < until; i++) {
    const answer = deliver(urls[i % urls.length]!, { id });
    answer.then(
      (a) => {
        if (a.status === 200) succeeded = true;
      },
      () => undefined,
    );
    answers.push(answer);
    await sleep(everyMs);
  }
  return Promise.all(answers);
}

function tally(answers: { status: number }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}

export function runTwoReceivers(storeModule: string, { backend, storeUrl, storeName }: TwoReceiversOptions): void {
  describe(`two receiver processes, one ${backend} store`, () => {
    const runLog = join(mkdtempSync(join(tmpdir(), 'mmsp-runs-')), 'runs.log');
    let script: string;
    const receivers: Receiver[] = [];
    const start = async () => {
      const receiver = await startReceiver(script, {
        STORE_URL: storeUrl,
        STORE_NAME: storeName('2p'),
        RUN_LOG: runLog,
        CLAIM_TTL_MS: String(CLAIM_TTL_MS),
        HANDLER_MS: '150',
      });
      receivers.push(receiver);
      return receiver;
    };
    beforeAll(async () => {
      script = await buildReceiver(storeModule);
    });
    afterAll(() => {
      for (const r of receivers) r.child.kill('SIGKILL');
    });

    it('exactly one process runs the handler when both receive the same notification at once', async () => {
      // Both receivers must share the same key prefix: start them with one STORE_NAME.
      const name = storeName('2p');
      const env = {
        STORE_URL: storeUrl,
        STORE_NAME: name,
        RUN_LOG: runLog,
        CLAIM_TTL_MS: String(CLAIM_TTL_MS),
        HANDLER_MS: '400',
      };
      const a = await startReceiver(script, env);
      const b = await startReceiver(script, env);
      receivers.push(a, b);
      // Order numbers within the push table's 32 characters, LIST_ID (`L-` + id) too (PROTOCOL §7.2).
      const ids = Array.from({ length: 10 }, (_, i) => `concurrent-${i}-${Math.random().toString(36).slice(2, 12)}`);
      const answers = await Promise.all(ids.flatMap((id) => [deliver(a.url, { id }), deliver(b.url, { id })]));
      for (let i = 0; i < ids.length; i++) {
        const pair = [answers[2 * i]!, answers[2 * i + 1]!].map((x) => x.status).sort();
        // One handled it; the other either asked the platform to retry (409, it arrived while the
        // handler ran) or, if it arrived after the commit, answered SUCCESS without running it.
        expect(
          [
            [200, 409],
            [200, 200],
          ],
          answers[2 * i]!.body,
        ).toContainEqual(pair);
      }
      // The copies really did overlap (a handler runs 400 ms): the store, not timing, kept them apart.
      expect(answers.filter((a) => a.status === 409).length).toBeGreaterThan(0);
      // The platform's retry of the busy copy reaches either process: answered SUCCESS, not run again.
      const retries = await Promise.all(ids.flatMap((id) => [deliver(a.url, { id }), deliver(b.url, { id })]));
      expect(retries.every((r) => r.status === 200 && r.body === 'SUCCESS')).toBe(true);
      const runs = readRuns(runLog);
      for (const id of ids) {
        expect(runs.filter((l) => l.startsWith('start') && l.endsWith(` ${id}`))).toHaveLength(1);
        expect(runs.filter((l) => l.startsWith('end') && l.endsWith(` ${id}`))).toHaveLength(1);
      }
    });

    it('a handler killed mid-way does not leave the notification done: after the claim expires the retry runs it', async () => {
      const name = storeName('crash');
      const env = {
        STORE_URL: storeUrl,
        STORE_NAME: name,
        RUN_LOG: runLog,
        CLAIM_TTL_MS: String(CLAIM_TTL_MS),
        HANDLER_MS: '50',
      };
      const doomed = await startReceiver(script, env);
      const survivor = await startReceiver(script, env);
      receivers.push(doomed, survivor);
      const id = `crash-${Math.random()}`;
      void deliver(doomed.url, { id, mode: 'hang' }).catch(() => undefined);
      for (let i = 0; i < 100 && !readRuns(runLog).includes(`start ${doomed.child.pid} ${id}`); i++) await sleep(20);
      expect(readRuns(runLog)).toContain(`start ${doomed.child.pid} ${id}`);
      doomed.child.kill('SIGKILL');
      await doomed.exited;
      const claimedAt = Date.now();
      // While the dead process's claim is live, the retry is told to come back later.
      expect((await deliver(survivor.url, { id })).status).toBe(409);
      await sleep(Math.max(0, claimedAt + CLAIM_TTL_MS + 200 - Date.now()));
      const retry = await deliver(survivor.url, { id });
      expect(retry).toEqual({ status: 200, body: 'SUCCESS' });
      const runs = readRuns(runLog).filter((l) => l.endsWith(` ${id}`));
      expect(runs).toEqual([
        `start ${doomed.child.pid} ${id}`,
        `start ${survivor.child.pid} ${id}`,
        `end ${survivor.child.pid} ${id}`,
      ]);
      expect((await deliver(survivor.url, { id })).status).toBe(200);
      expect(readRuns(runLog).filter((l) => l.endsWith(` ${id}`))).toHaveLength(3);
    });

    it('a handler slower than its claim (1 s claim, 2.5 s handler) never runs twice at once, with the platform retrying concurrently', async () => {
      const env = {
        STORE_URL: storeUrl,
        STORE_NAME: storeName('slow'),
        RUN_LOG: runLog,
        CLAIM_TTL_MS: '1000',
        HANDLER_MS: '2500',
      };
      const a = await startReceiver(script, env);
      const b = await startReceiver(script, env);
      receivers.push(a, b);
      const ids = Array.from({ length: 4 }, (_, i) => `slow-${i}-${Math.random().toString(36).slice(2, 12)}`);
      const answers = await Promise.all(ids.map((id) => retryConcurrently([a.url, b.url], id, 300, 6_000)));
      const runs = ids.map((id) => runsOf(runLog, id, new Map()));
      const concurrentlyTwice = runs.reduce((n, r) => n + overlapsOf(r), 0);
      const completed = runs.map((r) => r.filter((x) => x.completed).length);
      console.log(
        `[${backend}] claim 1 s, handler 2.5 s, 2 processes, ${ids.length} orders, ${answers.flat().length} deliveries: onPaid concurrently twice ${concurrentlyTwice}, completed per order ${completed.join(',')}, answers ${JSON.stringify(tally(answers.flat()))}`,
      );
      expect(concurrentlyTwice).toBe(0);
      expect(completed).toEqual(ids.map(() => 1));
      // Every retry after the run committed is answered SUCCESS without running it again.
      const late = await Promise.all(ids.flatMap((id) => [deliver(a.url, { id }), deliver(b.url, { id })]));
      expect(late.every((x) => x.status === 200 && x.body === 'SUCCESS')).toBe(true);
      expect(ids.map((id) => runsOf(runLog, id, new Map()).length)).toEqual(runs.map((r) => r.length));
    });

    it('SIGKILL mid-handler (1 s claim, 2.5 s handler): the other process runs it after the claim expires, once, never alongside', async () => {
      const env = {
        STORE_URL: storeUrl,
        STORE_NAME: storeName('slowcrash'),
        RUN_LOG: runLog,
        CLAIM_TTL_MS: '1000',
        HANDLER_MS: '2500',
      };
      const doomed = await startReceiver(script, env);
      const survivor = await startReceiver(script, env);
      receivers.push(doomed, survivor);
      const id = `slowcrash-${Math.random().toString(36).slice(2, 12)}`;
      void deliver(doomed.url, { id }).catch(() => undefined);
      for (let i = 0; i < 100 && !readRuns(runLog).includes(`start ${doomed.child.pid} ${id}`); i++) await sleep(20);
      await sleep(1_200); // past the first claim's ttl: only the keep-alive holds it now
      doomed.child.kill('SIGKILL');
      await doomed.exited;
      const killedAt = new Map([[doomed.child.pid!, Date.now()]]);
      const answers = await retryConcurrently([survivor.url], id, 300, 8_000);
      const runs = runsOf(runLog, id, killedAt);
      const concurrentlyTwice = overlapsOf(runs);
      const completed = runs.filter((r) => r.completed).length;
      console.log(
        `[${backend}] SIGKILL mid-handler: runs ${runs.length} (killed 1), completed ${completed}, onPaid concurrently twice ${concurrentlyTwice}, answers ${JSON.stringify(tally(answers))}`,
      );
      expect(concurrentlyTwice).toBe(0);
      expect(completed).toBe(1);
      expect(runs.map((r) => r.pid)).toEqual([doomed.child.pid, survivor.child.pid]);
      expect(answers.filter((a) => a.status === 200)).not.toHaveLength(0);
      expect(await deliver(survivor.url, { id })).toEqual({ status: 200, body: 'SUCCESS' });
    });

    it('a handler that throws releases its claim: the next delivery runs it at once', async () => {
      const a = await start();
      const id = `throw-${Math.random()}`;
      expect((await deliver(a.url, { id, mode: 'throw' })).status).toBe(500);
      expect(await deliver(a.url, { id })).toEqual({ status: 200, body: 'SUCCESS' });
      const runs = readRuns(runLog).filter((l) => l.endsWith(` ${id}`));
      expect(runs.filter((l) => l.startsWith('start'))).toHaveLength(2);
      expect(runs.filter((l) => l.startsWith('end'))).toHaveLength(1);
    });
  });
}
