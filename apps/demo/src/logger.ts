/**
 * Nest's console logger with China time stamps (one time zone everywhere, time.ts), and quiet
 * about a failed start: Nest's ExceptionHandler would print the error with its stack, while the
 * demo prints one message listing every problem (main.ts).
 */
import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { chinaTimeText } from './time.js';

export class DemoLogger extends ConsoleLogger {
  /** Until the shop listens: errors of Nest's start-up ExceptionHandler are left to main.ts. */
  starting = true;

  constructor(levels: LogLevel[]) {
    super();
    this.setLogLevels(levels);
  }

  protected override getTimestamp(): string {
    return chinaTimeText(Date.now());
  }

  override error(message: unknown, ...optionalParams: unknown[]): void {
    if (this.starting && optionalParams.at(-1) === 'ExceptionHandler') return;
    super.error(message, ...optionalParams);
  }
}
