// The programmatic entry: run(argv, io) in-process, with its own streams, stdin, cwd and signal.
import { md5Sign, signingString } from '@mmsp/codec';
import { expect, it } from 'vitest';
import { run, type CliIo } from '@mmsp/cli';
import { KEY } from './helpers.js';

function io(stdin = ''): { io: Partial<CliIo>; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: (t) => void out.push(t),
      stderr: (t) => void err.push(t),
      readStdin: async () => new TextEncoder().encode(stdin),
      cwd: '/',
      env: {},
    },
  };
}

it('signs stdin through the given io and resolves to the exit code', async () => {
  const body = '{"B":"x/y","A":1}';
  const s = io(body);
  expect(await run(['sign', '--key', KEY, '-'], s.io)).toBe(0);
  expect(s.out.join('')).toBe(`${signingString(body)}\n${md5Sign(body, KEY)}\n`);
  const v = io(body);
  expect(await run(['verify', '--key', KEY, '--sign', md5Sign(body, 'other'), '-'], v.io)).toBe(1);
});

it("user errors resolve to 64 with one line on the io's stderr, never throwing", async () => {
  const s = io('{');
  expect(await run(['sign', '--key', KEY, '-'], s.io)).toBe(64);
  expect(s.err.join('')).toMatch(/^mmsp sign: the input \(stdin\) is not JSON the platform can decode: .*\n$/);
  expect(s.out).toEqual([]);
});

it('sandbox runs until the signal aborts, then closes and resolves 0', async () => {
  const s = io();
  const controller = new AbortController();
  const done = run(['sandbox', '--port', '0', '--json'], { ...s.io, signal: controller.signal });
  for (let i = 0; i < 100 && s.out.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  const { url } = JSON.parse(s.out[0] as string) as { url: string };
  expect((await fetch(`${url}/_sandbox/merchant`)).status).toBe(200);
  controller.abort();
  expect(await done).toBe(0);
  await expect(fetch(`${url}/_sandbox/merchant`)).rejects.toThrow();
});
