/** The graph's colours, read from the theme's CSS variables. */
export interface Palette {
  bg: string;
  edge: string;
  label: string;
  accent: string;
  danger: string;
  text: string;
}
