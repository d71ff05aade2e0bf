/**
 * Starts the shop: the platform (embedded sandbox by default, or a real one from the environment),
 * SQLite, then the Nest application with `{ rawBody: true }` (MmspModule verifies notifications
 * over the raw body). Used by main.ts and by the tests.
 */
import 'reflect-metadata';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DEFAULT_NOTIFY_PATH } from '@mmsp/nestjs-module';
import { startSandbox, type Sandbox } from '@mmsp/sandbox';
import { ActivityLog } from './activity-log.js';
import { AppModule } from './app.module.js';
import { MmspConfigError } from '@mmsp/client';
import { checkPlatformEnv, DemoConfigError, PLATFORM_CONFIG_HEADING, type PlatformSettings } from './config.js';
import { DemoLogger } from './logger.js';
import type { DemoContext } from './context.js';
import { ShopDb } from './db.js';
import { choosePort, parsePort } from './port.js';
import { reconcileSettings } from './reconciliation.js';
import { ShopService } from './shop.service.js';

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Say what is happening (default console.log). */
  print?: (line: string) => void;
}

export interface RunningDemo {
  url: string;
  port: number;
  mode: 'sandbox' | 'platform';
  sandbox?: Sandbox;
  /** True when PORT was busy and another port was taken. */
  fellBack: boolean;
  close(): Promise<void>;
}

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function startDemo(options: StartOptions = {}): Promise<RunningDemo> {
  const env = options.env ?? process.env;
  const host = env.HOST || '127.0.0.1';
  const dbPath = env.MMSP_DEMO_DB || join(PACKAGE_DIR, '.data', 'demo.sqlite');
  // Every problem of the environment at once, before anything starts (PORT, platform, sandbox clock).
  const problems: string[] = [];
  let wanted = 3000;
  try {
    wanted = parsePort(env.PORT);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const checked = checkPlatformEnv(env);
  problems.push(...checked.problems);
  const scale = env.MMSP_SANDBOX_TIME_SCALE ? Number(env.MMSP_SANDBOX_TIME_SCALE) : 1;
  if (!env.MMSP_MERCHANT_NO && (!Number.isFinite(scale) || scale <= 0))
    problems.push('MMSP_SANDBOX_TIME_SCALE must be a positive number');
  if (problems.length > 0)
    throw new DemoConfigError(problems, checked.problems.length > 0 ? PLATFORM_CONFIG_HEADING : 'demo configuration');
  const { port, fellBack } = await choosePort(wanted, host);
  const shopHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const baseUrl = `http://${shopHost.includes(':') ? `[${shopHost}]` : shopHost}:${port}`;

  let sandbox: Sandbox | undefined;
  let settings: PlatformSettings | undefined = checked.settings;
  if (!settings) {
    const step = Math.max(150, Math.round(2000 * scale));
    sandbox = await startSandbox({
      port: 0,
      statePath: env.MMSP_SANDBOX_STATE || join(dirname(dbPath), 'sandbox-state.json'),
      timeScale: scale,
      micropayDelayMs: step,
      payoutDelayMs: step,
    });
    const m = sandbox.merchant;
    // To show reconciliation: the sandbox loses every notification of the shop (issue #16).
    if (env.MMSP_SANDBOX_LOSE_NOTIFICATIONS === '1') sandbox.loseNotifications({ merchantNo: m.merchantNo });
    settings = {
      mode: 'sandbox',
      merchantNo: m.merchantNo,
      terminalNo: m.terminalNo,
      key: m.key,
      endpoints: m.endpoints,
      payout: { platformPublicKey: m.platformPublicKey, merchantPrivateKey: m.merchantPrivateKey },
    };
  }

  const db = new ShopDb(dbPath);
  const activity = new ActivityLog(db, [
    settings.key,
    ...(settings.payout ? [settings.payout.merchantPrivateKey] : []),
  ]);
  const context: DemoContext = {
    settings,
    ...(sandbox ? { sandbox } : {}),
    baseUrl,
    notifyUrl: `${settings.notifyBaseUrl ?? baseUrl}${DEFAULT_NOTIFY_PATH}`,
    reconcile: reconcileSettings(env),
  };
  // Scan-code NOTIFY_URL is string(50) (scan §5.1): say so at start rather than at the first order.
  if (context.notifyUrl.length > 50 && settings.endpoints.scan) {
    (options.print ?? console.log)(
      `warning: NOTIFY_URL ${context.notifyUrl} is ${context.notifyUrl.length} characters; scan-code orders allow 50 (set a shorter MMSP_NOTIFY_BASE_URL)`,
    );
  }
  const logger = new DemoLogger(env.DEMO_VERBOSE ? ['log', 'warn', 'error'] : ['warn', 'error']);
  let app: NestExpressApplication;
  try {
    // abortOnError false: a refused configuration comes back here instead of exiting with Nest's stack.
    app = await NestFactory.create<NestExpressApplication>(AppModule.register({ context, db, activity }), {
      rawBody: true,
      logger,
      abortOnError: false,
    });
    await app.listen(port, host);
  } catch (error) {
    await sandbox?.close();
    db.close();
    if (error instanceof MmspConfigError)
      throw new DemoConfigError(
        error.issues.map((i) => i.message),
        'MMSP configuration refused by the client',
      );
    throw error;
  }
  logger.starting = false;
  app.get(ShopService).resumePolling();
  let closed = false;
  return {
    url: `${baseUrl}/`,
    port,
    mode: settings.mode,
    ...(sandbox ? { sandbox } : {}),
    fellBack,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await sandbox?.close();
      db.close();
    },
  };
}
