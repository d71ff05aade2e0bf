/** Injection tokens of the demo's own values (built before Nest starts: main.ts). */
export const SHOP_DB = Symbol('ShopDb');
export const ACTIVITY_LOG = Symbol('ActivityLog');
export const DEMO_CONTEXT = Symbol('DemoContext');
