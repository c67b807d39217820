// A tag's colour as antd's Tag paints it, for tags drawn without antd's component (components/PlainElements.tsx).

/** antd's preset tag colours (a tag's colour is one of these names or #rrggbb). */
const PRESET_COLORS = new Set(['blue', 'purple', 'cyan', 'green', 'magenta', 'pink', 'red', 'orange', 'yellow', 'volcano', 'geekblue', 'lime', 'gold', 'success', 'processing', 'error', 'warning']);

export function isPresetTagColor(color: string | null | undefined): color is string {
  return !!color && PRESET_COLORS.has(color);
}

/** The background antd's filled Tag gives a custom colour: the colour's hue and saturation at 95 % lightness. */
export function customTagBackground(hex: string): string | undefined {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!match?.[1]) return undefined;
  const value = Number.parseInt(match[1], 16);
  const [r, g, b] = [(value >> 16) & 255, (value >> 8) & 255, value & 255].map((channel) => channel / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const delta = max - min;
  const lightness = (max + min) / 2;
  const saturation = delta === 0 ? 0 : delta / (1 - Math.abs(2 * lightness - 1));
  let hue = 0;
  if (delta !== 0) {
    if (max === r) hue = ((g - b) / delta) % 6;
    else if (max === g) hue = (b - r) / delta + 2;
    else hue = (r - g) / delta + 4;
    // Whole degrees, as antd's colour library keeps them.
    hue = Math.round(hue * 60);
    hue = ((hue % 360) + 360) % 360;
  }
  // Back to RGB at lightness 0.95.
  const l = 0.95;
  const chroma = (1 - Math.abs(2 * l - 1)) * saturation;
  const x = chroma * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = l - chroma / 2;
  const [r1, g1, b1] = hue < 60 ? [chroma, x, 0] : hue < 120 ? [x, chroma, 0] : hue < 180 ? [0, chroma, x] : hue < 240 ? [0, x, chroma] : hue < 300 ? [x, 0, chroma] : [chroma, 0, x];
  return `#${[r1, g1, b1].map((channel) => Math.round((channel + m) * 255).toString(16).padStart(2, '0')).join('')}`;
}
