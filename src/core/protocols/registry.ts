// Every decoder, in the order detection asks them (detect.ts picks by certainty, not order).
import type { Decoder } from './types.ts';

export const DECODERS: readonly Decoder[] = [];
