import type { Sandbox } from '@mmsp/sandbox';
import type { PlatformSettings } from './config.js';

/** What the shop knows about where it runs. */
export interface DemoContext {
  settings: PlatformSettings;
  /** The embedded sandbox (default mode), for its test hints (SMS codes, test codes). */
  sandbox?: Sandbox;
  /** The shop's own base URL, e.g. http://127.0.0.1:3000 (pages, JUMP_URL). */
  baseUrl: string;
  /** NOTIFY_URL sent with every payment: notify base + MmspModule's route. */
  notifyUrl: string;
}
