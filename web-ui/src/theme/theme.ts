import { createTheme, type MantineColorsTuple } from '@mantine/core';

/** A calm teal for the product's actions; shade 7 (#0b6e6e) is the brand colour the apps have used. */
const clinical: MantineColorsTuple = [
  '#e6f6f6',
  '#cfe9e9',
  '#a0d3d3',
  '#6dbcbc',
  '#45a8a8',
  '#2c9b9b',
  '#1a8585',
  '#0b6e6e',
  '#005e5e',
  '#004c4c',
];

/** Fonts already on the machines: sites are air-gapped, so nothing is downloaded. */
const fontFamily =
  '"Noto Sans Arabic", "Noto Naskh Arabic", "Segoe UI", "DejaVu Sans", Tahoma, system-ui, sans-serif';

/** The one theme both apps use. */
export const theme = createTheme({
  primaryColor: 'clinical',
  primaryShade: 7,
  colors: { clinical },
  fontFamily,
  headings: { fontFamily, fontWeight: '700' },
  defaultRadius: 'md',
  // Badges carry Arabic words and counts: no capitals (English would shout), never cut short.
  components: { Badge: { defaultProps: { tt: 'none' }, styles: { label: { overflow: 'visible' } } } },
});
