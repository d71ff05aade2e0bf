import { PostgresNotificationStore } from '../../src/index.js';

export const makeStore = (url: string, name: string) => new PostgresNotificationStore({ pool: url, table: name });
