import { describe, expect, it } from 'vitest';
import { MemoryNotificationStore } from '../src/notification-store.js';
import { runStoreContract } from './support/store-contract.js';

runStoreContract(() => new MemoryNotificationStore(), { name: 'MemoryNotificationStore' });

describe('MemoryNotificationStore with an injected clock', () => {
  it('expires a claim exactly at its ttl', async () => {
    let now = 1_000;
    const store = new MemoryNotificationStore({ now: () => now });
    expect(await store.claim('a', 100)).toBe('claimed');
    now = 1_099;
    expect(await store.claim('a', 100)).toBe('busy');
    now = 1_100;
    expect(await store.claim('a', 100)).toBe('claimed');
  });
});
