import { x } from "@mmsp/codec"; export const y = x + 1;
