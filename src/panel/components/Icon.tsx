// Small inline SVG icons: fonts on many Linux desktops lack the symbol glyphs (⛔, ⓘ), and an
// icon must never render as a box next to a close code.
export type IconName = 'live' | 'check' | 'cut' | 'blocked' | 'error' | 'policy' | 'leave' | 'retry' | 'app' | 'unknown' | 'clear' | 'info' | 'inject';

const PATHS: Record<IconName, string> = {
  live: 'M8 4a4 4 0 1 1 0 8a4 4 0 0 1 0-8z',
  check: 'M3 8.5l3 3l7-7',
  cut: 'M2 8h4M10 8h4M7 4l-1 4h4l-1 4',
  blocked: 'M8 2a6 6 0 1 1 0 12a6 6 0 0 1 0-12zM4 8h8',
  error: 'M8 2a6 6 0 1 1 0 12a6 6 0 0 1 0-12zM5.5 5.5l5 5M10.5 5.5l-5 5',
  policy: 'M8 2l5 2v4c0 3-2.2 5-5 6c-2.8-1-5-3-5-6V4z',
  leave: 'M3 8h9M9 5l3 3l-3 3M13 3v10',
  retry: 'M12.5 6A5 5 0 1 0 13 9M13 2.5V6H9.5',
  app: 'M8 2l6 6l-6 6l-6-6z',
  unknown: 'M6 6a2 2 0 1 1 2.5 1.9c-.4.2-.5.5-.5.9V10M8 12.5v.5',
  clear: 'M8 2a6 6 0 1 1 0 12a6 6 0 0 1 0-12zM3.8 12.2l8.4-8.4',
  info: 'M8 2a6 6 0 1 1 0 12a6 6 0 0 1 0-12zM8 7v4.5M8 4.5v.5',
  inject: 'M9.5 1.5L4 9h4l-1.5 5.5L12 7H8z',
};

const FILLED: ReadonlySet<IconName> = new Set(['live']);

export function Icon({ name, size = 12 }: { name: IconName; size?: number }) {
  const filled = FILLED.has(name);
  return (
    <svg class={`icon icon-${name}`} width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill={filled ? 'currentColor' : 'none'} stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
