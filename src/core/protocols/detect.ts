// Which application protocol a connection speaks: what its URL and subprotocols say first, then
// what its first frames say. Each decoder judges its own protocol; this picks among their
// answers. A subprotocol the server chose outranks everything (the server agreed to speak it);
// between equal certainties the protocol on which URL and frames agree wins; a lone "possible"
// stays possible, never promoted.
import { SNIFF_FRAMES, type ConnectionHints, type Decoder, type Detection, type FrameIn } from './types.ts';

const RANK = { certain: 3, likely: 2, possible: 1 } as const;

/** The best detection among `decoders`, or undefined. `frames`: the first messages, in order. */
export function detectProtocol(
  decoders: readonly Decoder[],
  hints: ConnectionHints,
  frames: readonly FrameIn[],
): { decoder: Decoder; detection: Detection } | undefined {
  const first = frames.slice(0, SNIFF_FRAMES);
  let best: { decoder: Decoder; detection: Detection; score: number } | undefined;
  for (const decoder of decoders) {
    const byHints = safe(() => decoder.detect(hints));
    const byFrames = first.length > 0 ? safe(() => decoder.sniff(first, hints)) : undefined;
    const detection = combine(byHints, byFrames);
    if (!detection) continue;
    // The subprotocol the server chose is the protocol's own name: it outranks a URL or frames.
    const chosen = detection.by === 'subprotocol' && !!hints.protocol;
    const score = RANK[detection.certainty] * 10 + (byHints && byFrames ? 2 : 0) + (chosen ? 5 : 0);
    if (!best || score > best.score) best = { decoder, detection, score };
  }
  return best && { decoder: best.decoder, detection: best.detection };
}

/** Both kinds of evidence for one protocol: the stronger one (agreement alone does not make it certain). */
function combine(h: Detection | undefined, f: Detection | undefined): Detection | undefined {
  if (!h) return f;
  if (!f) return h;
  const top = RANK[f.certainty] > RANK[h.certainty] ? f : h;
  const variant = f.variant ?? h.variant;
  return { ...top, ...(variant ? { variant } : {}) };
}

/** A decoder must never throw; if one does anyway, it just did not recognise the connection. */
function safe(f: () => Detection | undefined): Detection | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
