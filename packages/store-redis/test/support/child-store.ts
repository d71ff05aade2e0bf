import { RedisNotificationStore } from '../../src/index.js';

export const makeStore = (url: string, name: string) => new RedisNotificationStore({ redis: url, keyPrefix: name });
