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

@Module({
  imports: [DiscoveryModule],
  providers: [
    { provide: MMSP_RESOLVED_OPTIONS, useFactory: (options: unknown) => resolveMmspOptions(options), inject: [MMSP_MODULE_OPTIONS] },
    { provide: MMSP_CLIENT, useFactory: (resolved: ResolvedMmspOptions): MmspClient => resolved.client, inject: [MMSP_RESOLVED_OPTIONS] },
    MmspService,
    MmspNotificationsHost,
  ],
  exports: [MmspService, MMSP_CLIENT],
})
export class MmspModule extends MmspConfigurableModuleClass {}
