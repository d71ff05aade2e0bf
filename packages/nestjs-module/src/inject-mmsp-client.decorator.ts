import { Inject } from '@nestjs/common';
import { MMSP_CLIENT } from './mmsp.constants.js';

/** Injects the `MmspClient` itself: `constructor(@InjectMmspClient() private readonly client: MmspClient) {}`. */
export const InjectMmspClient = (): PropertyDecorator & ParameterDecorator => Inject(MMSP_CLIENT);
