import { Module } from '@nestjs/common';
import { MmspModule } from '@mmsp/nestjs-module';
import { CheckoutService } from './checkout.service';
import { mmspOptionsFromEnv } from './mmsp.config';
import { OrdersService } from './orders.service';

@Module({
  imports: [MmspModule.forRootAsync({ useFactory: () => mmspOptionsFromEnv() })],
  providers: [CheckoutService, OrdersService],
})
export class AppModule {}
