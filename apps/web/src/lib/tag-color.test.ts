import { FastColor } from '@ant-design/fast-color';
import { describe, expect, it } from 'vitest';
import { customTagBackground, isPresetTagColor } from './tag-color.ts';

/** What antd's Tag computes for a custom colour (antd/es/tag/hooks/useColor.js), with antd's own colour library. */
function antdBackground(hex: string): string {
  const hsl = new FastColor(hex).toHsl();
  hsl.l = 0.95;
  return new FastColor(hsl).toHexString();
}

describe('tag colours drawn without antd', () => {
  it('gives a custom colour the background antd gives it', () => {
    const colours: string[] = ['#2563eb', '#eb2f96', '#faad14', '#2f54eb', '#0f766e', '#000000', '#ffffff', '#808080', '#ff0000', '#13c2c2', '#a0d911', '#7f00ff'];
    // And a spread of others (a fixed sequence, so a failure can be replayed).
    for (let i = 0; i < 500; i += 1) colours.push(`#${((i * 2654435761) >>> 8).toString(16).padStart(6, '0').slice(-6)}`);
    for (const hex of colours) expect(customTagBackground(hex), hex).toBe(antdBackground(hex));
  });

  it('knows antd preset names and refuses what is neither preset nor #rrggbb', () => {
    expect(isPresetTagColor('gold')).toBe(true);
    expect(isPresetTagColor('default')).toBe(false);
    expect(isPresetTagColor('')).toBe(false);
    expect(customTagBackground('gold')).toBeUndefined();
    expect(customTagBackground('#abc')).toBeUndefined();
  });
});
