const paths = {
  microphone: ['M9 5a3 3 0 0 1 6 0v5a3 3 0 0 1-6 0z', 'M5 10a7 7 0 0 0 14 0', 'M8 21h8', 'M12 17v4'],
  camera: [
    'M15 10l4.55-2.28A1 1 0 0 1 21 8.62v6.76a1 1 0 0 1-1.45.9L15 14z',
    'M5 6h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2z',
  ],
  screen: [
    'M4 4h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z',
    'M7 20h10',
    'M9 16v4',
    'M15 16v4',
  ],
  devices: [
    'M4 6h8',
    'M16 6h4',
    'M12 4v4h4V4z',
    'M4 12h2',
    'M10 12h10',
    'M6 10v4h4v-4z',
    'M4 18h11',
    'M19 18h1',
    'M15 16v4h4v-4z',
  ],
  close: ['M6 6l12 12', 'M18 6L6 18'],
} as const;

/**
 * The call's control icons as inline SVG strokes (in the style of Tabler's): emoji glyphs are missing from the
 * fonts of many clinic machines. `crossed` draws the "off" slash. Decorative: the buttons carry the names.
 */
export function CallIcon({
  name,
  crossed = false,
  size = 22,
}: {
  name: keyof typeof paths;
  crossed?: boolean;
  size?: number;
}) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {paths[name].map((d) => (
        <path key={d} d={d} />
      ))}
      {crossed && <path d="M3 3l18 18" />}
    </svg>
  );
}
