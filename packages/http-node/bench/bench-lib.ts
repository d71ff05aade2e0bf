// What the benchmark's load side needs, bundled together.
export { makeNotifications } from './notifications.js';
export { clientLoad } from './client-load.js';
