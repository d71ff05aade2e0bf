/**
 * The module definition (golevelup / @nestjs/config style): `MmspModule.forRoot(options)` and
 * `MmspModule.forRootAsync({ imports, inject, useFactory })`, with the `isGlobal` extra.
 */
import { ConfigurableModuleBuilder, type ConfigurableModuleOptionsFactory } from '@nestjs/common';
import type { MmspModuleOptions } from './mmsp.options.js';

/**
 * {@link MmspModule}'s definition, from Nest's `ConfigurableModuleBuilder` (`forRoot` /
 * `forRootAsync`, with the `isGlobal` extra). `MMSP_MODULE_OPTIONS` is the injection token of the
 * options exactly as given to `forRoot` or returned by `forRootAsync`'s factory, before they are
 * checked (for a provider of your own that needs them; the client itself is injected with
 * {@link MMSP_CLIENT} or {@link MmspService}).
 */
export const {
  ConfigurableModuleClass: MmspConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: MMSP_MODULE_OPTIONS,
  OPTIONS_TYPE: MMSP_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: MMSP_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<MmspModuleOptions>({ moduleName: 'Mmsp' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** What `forRoot` takes: the options plus `isGlobal`. */
export type MmspModuleForRootOptions = typeof MMSP_OPTIONS_TYPE;
/** What `forRootAsync` takes: `{ imports?, inject?, useFactory | useClass | useExisting, isGlobal? }`. */
export type MmspModuleAsyncOptions = typeof MMSP_ASYNC_OPTIONS_TYPE;
/** For `forRootAsync({ useClass })`: a provider whose `create()` returns the options. */
export type MmspModuleOptionsFactory = ConfigurableModuleOptionsFactory<MmspModuleOptions, 'create'>;
