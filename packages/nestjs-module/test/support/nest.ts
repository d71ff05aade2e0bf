/** A Nest application on a real HTTP server on loopback, on Express or Fastify (@nestjs/testing). */
import type { INestApplication, LoggerService, ModuleMetadata } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

export type Platform = 'express' | 'fastify';
export const PLATFORMS: Platform[] = ['express', 'fastify'];

export interface RunningApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

export interface AppOptions {
  rawBody?: boolean;
  bodyParser?: boolean;
  logger?: LoggerService | false;
}

export async function createApp(
  platform: Platform,
  metadata: ModuleMetadata,
  options: AppOptions = { rawBody: true },
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const appOptions = { logger: false as const, ...options };
  return platform === 'express'
    ? moduleRef.createNestApplication(new ExpressAdapter(), appOptions)
    : moduleRef.createNestApplication(new FastifyAdapter(), appOptions);
}

export async function startApp(
  platform: Platform,
  metadata: ModuleMetadata,
  options?: AppOptions,
): Promise<RunningApp> {
  const app = await createApp(platform, metadata, options);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
