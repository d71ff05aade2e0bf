import { describe, expect, it } from 'vitest';
import { MemoryNotificationStore } from '../src/notification-store.js';
import { runStoreContract } from './support/store-contract.js';

runStoreContract(() => new MemoryNotificationStore(), { name: 'MemoryNotificationStore' });

describe('MemoryNotificationStore with an injected clock', () => {
  it('expires a claim exactly at its ttl', async () => {
    let now = 1_000;
    const store = new MemoryNotificationStore({ now: () => now });
    expect(await store.claim('a', 't', 100)).toBe('claimed');
    now = 1_099;
    expect(await store.claim('a', 't', 100)).toBe('busy');
    now = 1_100;
    expect(await store.claim('a', 't', 100)).toBe('claimed');
  });
});

describe('MemoryNotificationStore remembers commits for doneTtlMs, then frees them', () => {
  it('answers done within doneTtlMs and claims again after it', () => {
    let now = 5_000;
    const store = new MemoryNotificationStore({ now: () => now, doneTtlMs: 1_000 });
    expect(store.claim('n', 't', 100)).toBe('claimed');
    store.commit('n', 't');
    now = 5_999;
    expect(store.claim('n', 't', 100)).toBe('done');
    now = 6_000;
    expect(store.claim('n', 't', 100)).toBe('claimed');
  });

  it('keeps commits forever with doneTtlMs 0, and refuses a bad doneTtlMs', () => {
    let now = 0;
    const store = new MemoryNotificationStore({ now: () => now, doneTtlMs: 0 });
    store.claim('n', 't', 100);
    store.commit('n', 't');
    now = Number.MAX_SAFE_INTEGER / 2;
    expect(store.claim('n', 't', 100)).toBe('done');
    for (const bad of [-1, 1.5, Number.NaN])
      expect(() => new MemoryNotificationStore({ doneTtlMs: bad })).toThrow(/doneTtlMs/);
  });

  it('a release never forgets a commit', () => {
    const store = new MemoryNotificationStore();
    store.claim('n', 't', 100);
    store.commit('n', 't');
    store.release('n', 't');
    expect(store.claim('n', 't', 100)).toBe('done');
  });

  it('frees forgotten commits and expired claims as new notifications arrive', () => {
    let now = 0;
    const store = new MemoryNotificationStore({ now: () => now, doneTtlMs: 1_000 });
    for (let i = 0; i < 100; i++) {
      store.claim(`old-${i}`, 't', 50);
      if (i % 2 === 0) store.commit(`old-${i}`, 't'); // the others crash mid-handler: their claims expire
    }
    expect(store.size).toBe(100);
    now = 10_000;
    for (let i = 0; i < 5_000; i++) {
      store.claim(`new-${i}`, 't', 60_000);
      store.commit(`new-${i}`, 't');
    }
    expect(store.size).toBe(5_000); // the 100 old ids are gone, every new one is still held
    expect(store.claim('new-0', 't', 100)).toBe('done');
  });
});
