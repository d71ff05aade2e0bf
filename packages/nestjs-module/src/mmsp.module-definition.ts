/**
 * The module definition (golevelup / @nestjs/config style): `MmspModule.forRoot(options)` and
 * `MmspModule.forRootAsync({ imports, inject, useFactory })`, with the `isGlobal` extra.
 */
import { ConfigurableModuleBuilder, type ConfigurableModuleOptionsFactory } from '@nestjs/common';
import type { MmspModuleOptions } from './mmsp.options.js';

/**
 * {@link MmspModule}'s definition, from Nest's `ConfigurableModuleBuilder` (`forRoot` /
 * `forRootAsync`, with the `isGlobal` extra).
 */
const definition = new ConfigurableModuleBuilder<MmspModuleOptions>({ moduleName: 'Mmsp' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** The class {@link MmspModule} extends: Nest's generated `forRoot` / `forRootAsync`. */
export const MmspConfigurableModuleClass = definition.ConfigurableModuleClass;

/**
 * The injection token of the options exactly as given to `forRoot` or returned by
 * `forRootAsync`'s factory, before they are checked (for a provider of your own that needs them;
 * the client itself is injected with {@link MMSP_CLIENT} or {@link MmspService}).
 */
export const MMSP_MODULE_OPTIONS: string | symbol = definition.MODULE_OPTIONS_TOKEN;

/** Type carrier of `forRoot`'s argument (Nest's `OPTIONS_TYPE`); use {@link MmspModuleForRootOptions}. */
export const MMSP_OPTIONS_TYPE = definition.OPTIONS_TYPE;
/** Type carrier of `forRootAsync`'s argument (Nest's `ASYNC_OPTIONS_TYPE`); use {@link MmspModuleAsyncOptions}. */
export const MMSP_ASYNC_OPTIONS_TYPE = definition.ASYNC_OPTIONS_TYPE;

/** What `forRoot` takes: the options plus `isGlobal`. */
export type MmspModuleForRootOptions = typeof MMSP_OPTIONS_TYPE;
/** What `forRootAsync` takes: `{ imports?, inject?, useFactory | useClass | useExisting, isGlobal? }`. */
export type MmspModuleAsyncOptions = typeof MMSP_ASYNC_OPTIONS_TYPE;
/** For `forRootAsync({ useClass })`: a provider whose `create()` returns the options. */
export type MmspModuleOptionsFactory = ConfigurableModuleOptionsFactory<MmspModuleOptions, 'create'>;
