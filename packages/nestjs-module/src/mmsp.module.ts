/**
 * `MmspModule.forRoot(options)` / `MmspModule.forRootAsync({ imports, inject, useFactory })`
 * (mmsp.module-definition.ts). Bad options fail the boot with one `MmspConfigError` listing every
 * problem; the client (`createNodeClient`) is built once and shared by `MmspService`.
 */
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { MmspClient } from '@mmsp/client';
import { MMSP_CLIENT } from './mmsp.constants.js';
import { MMSP_MODULE_OPTIONS, MmspConfigurableModuleClass } from './mmsp.module-definition.js';
import { resolveMmspOptions, type ResolvedMmspOptions } from './mmsp.options.js';
import { MmspService } from './mmsp.service.js';
import { MmspNotificationsHost } from './mmsp-notifications.js';
import { MMSP_RESOLVED_OPTIONS } from './mmsp.tokens.js';

/**
 * The MMSP platform in a NestJS 11 application (Express or Fastify): the `@mmsp/http-node` client
 * as the injectable {@link MmspService} (and the {@link MMSP_CLIENT} token), and the platform's
 * pushed payment notifications (PROTOCOL §5) delivered to `@MmspNotificationHandler()` methods
 * through a `POST notifyPath` route (default `/mmsp/notify`) that the module mounts on the HTTP
 * adapter at `onModuleInit`, outside Nest's guards, interceptors and pipes, so nothing stands
 * between the platform and the exact `SUCCESS` it waits for.
 *
 * `MmspModule.forRoot(options)` or `MmspModule.forRootAsync({ imports, inject, useFactory })` (also
 * `useClass` / `useExisting`), each with `isGlobal`. The options are `createNodeClient`'s
 * configuration plus {@link MmspNotificationOptions}. Bad options fail the boot with one
 * `MmspConfigError` listing every problem (never a secret's value); the client is built once and
 * shared. The application must keep the raw body (`NestFactory.create(AppModule, { rawBody: true })`):
 * signatures cover the exact text the platform sent (PROTOCOL §3), and the module refuses to start
 * without it.
 *
 * @example forRoot
 * ```ts
 * import { Module } from '@nestjs/common';
 * import { NestFactory } from '@nestjs/core';
 * import { MmspModule } from '@mmsp/nestjs-module';
 *
 * @Module({
 *   imports: [
 *     MmspModule.forRoot({
 *       merchantNo: '001440353999853',
 *       terminalNo: '84970001',
 *       key: process.env.MMSP_KEY!, // MD5 key: never logged, never in an error
 *       endpoints: { scan: 'https://pay.example.com/scan', quickPay: 'https://pay.example.com/quickpay' },
 *       notifyPath: '/mmsp/notify', // the default; false mounts no route
 *     }),
 *   ],
 * })
 * class AppModule {}
 *
 * const app = await NestFactory.create(AppModule, { rawBody: true }); // the raw body is required
 * await app.listen(3000);
 * ```
 *
 * @example forRootAsync with the config module
 * ```ts
 * import { Module } from '@nestjs/common';
 * import { ConfigModule, ConfigService } from '@nestjs/config';
 * import { MmspModule } from '@mmsp/nestjs-module';
 *
 * @Module({
 *   imports: [
 *     MmspModule.forRootAsync({
 *       imports: [ConfigModule],
 *       inject: [ConfigService],
 *       useFactory: (config: ConfigService) => ({
 *         merchantNo: config.getOrThrow<string>('MMSP_MERCHANT_NO'),
 *         terminalNo: config.getOrThrow<string>('MMSP_TERMINAL_NO'),
 *         key: config.getOrThrow<string>('MMSP_KEY'),
 *         endpoints: { scan: config.getOrThrow<string>('MMSP_SCAN_URL') },
 *       }),
 *       isGlobal: true, // MmspService everywhere without importing MmspModule again
 *     }),
 *   ],
 * })
 * class AppModule {}
 * ```
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: MMSP_RESOLVED_OPTIONS,
      useFactory: (options: unknown) => resolveMmspOptions(options),
      inject: [MMSP_MODULE_OPTIONS],
    },
    {
      provide: MMSP_CLIENT,
      useFactory: (resolved: ResolvedMmspOptions): MmspClient => resolved.client,
      inject: [MMSP_RESOLVED_OPTIONS],
    },
    MmspService,
    MmspNotificationsHost,
  ],
  exports: [MmspService, MMSP_CLIENT],
})
export class MmspModule extends MmspConfigurableModuleClass {}
