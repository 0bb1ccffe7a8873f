// The panel's remembered layout and habits: which columns show and how wide, the list/detail
// split, the timeline's height, the language, preserve log, the filter. Pure: what storage gives
// back is checked field by field (valibot), so a value of the wrong shape, from an older build or
// edited by hand, costs that one field its default and never the panel. Every field is bounded,
// so the stored object is too (test/prefs.test.ts checks its size at the bounds).
import * as v from 'valibot';
import type { UiLang } from './i18n.ts';

export const COLUMN_IDS = ['outcome', 'net', 'url', 'code', 'reason', 'state', 'duration', 'sent', 'received', 'frame'] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];
/** The URL names the row: like the Network panel's Name column, it cannot be hidden. */
export const ALWAYS_SHOWN: ColumnId = 'url';

export const WIDTH = { min: 32, max: 1200 } as const;
/** The list's share of the width beside the details, in percent. */
export const SPLIT = { min: 15, max: 85, initial: 45 } as const;
/** The timeline's plot height in px (the initial one is what panel.css gave it). */
export const TIMELINE = { min: 60, max: 600, initial: 180 } as const;
/** Longest filter text kept: far more than anyone types, small enough to store every time. */
export const FILTER_MAX = 1000;

export interface Prefs {
  /** Undefined: follow the browser's language. */
  lang: UiLang | undefined;
  preserveLog: boolean;
  filter: string;
  hideHeartbeats: boolean;
  hidden: ColumnId[];
  widths: Partial<Record<ColumnId, number>>;
  split: number;
  timelineHeight: number;
}

export const DEFAULT_PREFS: Prefs = {
  lang: undefined,
  preserveLog: false,
  filter: '',
  hideHeartbeats: false,
  hidden: [],
  widths: {},
  split: SPLIT.initial,
  timelineHeight: TIMELINE.initial,
};

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

const FIELDS: { [K in keyof Prefs]: v.GenericSchema<unknown, Prefs[K]> } = {
  lang: v.optional(v.picklist(['en', 'ja'])),
  preserveLog: v.boolean(),
  filter: v.pipe(v.string(), v.maxLength(FILTER_MAX)),
  hideHeartbeats: v.boolean(),
  hidden: v.pipe(
    v.array(v.picklist(COLUMN_IDS)),
    v.maxLength(COLUMN_IDS.length),
    v.transform((ids) => [...new Set(ids)].filter((id) => id !== ALWAYS_SHOWN)),
  ),
  widths: v.pipe(
    // Unknown columns are dropped, not refused: a later build may have removed one.
    v.record(v.string(), v.unknown()),
    v.transform((r) => {
      const out: Partial<Record<ColumnId, number>> = {};
      for (const id of COLUMN_IDS) {
        const w = v.safeParse(int(WIDTH.min, WIDTH.max), r[id]);
        if (w.success) out[id] = w.output;
      }
      return out;
    }),
  ),
  split: int(SPLIT.min, SPLIT.max),
  timelineHeight: int(TIMELINE.min, TIMELINE.max),
};

/** Stored prefs from anything storage returns: each field valid or its default. */
export function readPrefs(raw: unknown): Prefs {
  const out: Prefs = { ...DEFAULT_PREFS, hidden: [], widths: {} };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  const rec = raw as Record<string, unknown>;
  for (const key of Object.keys(FIELDS) as (keyof Prefs)[]) {
    if (!(key in rec)) continue;
    const r = v.safeParse(FIELDS[key], rec[key]);
    if (r.success) (out as unknown as Record<string, unknown>)[key] = r.output;
  }
  return out;
}

/** `p` with `patch` applied, each field through the same check as a stored one (a bad one is ignored). */
export function mergePrefs(p: Prefs, patch: Partial<Prefs>): Prefs {
  const out = { ...p };
  for (const key of Object.keys(patch) as (keyof Prefs)[]) {
    if (!(key in FIELDS)) continue;
    const r = v.safeParse(FIELDS[key], patch[key]);
    if (r.success) (out as unknown as Record<string, unknown>)[key] = r.output;
  }
  return out;
}

export const clamp = (n: number, min: number, max: number): number => Math.min(max, Math.max(min, Math.round(n)));
