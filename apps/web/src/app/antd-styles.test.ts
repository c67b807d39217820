import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { antdStylesByFolder, BASE, styleFoldersOf, topLevelBlocks } from '../../antd-styles.ts';

// The build's cut of antd's prebuilt stylesheet (apps/web/antd-styles.ts), checked on the stylesheet antd ships.
const antdRoot = path.dirname(createRequire(import.meta.url).resolve('antd/package.json'));
const css = fs.readFileSync(path.join(antdRoot, 'dist/antd.css'), 'utf8');
const es = (file: string) => path.join(antdRoot, 'es', file);

describe("antd's stylesheet cut per component", () => {
  const parts = antdStylesByFolder(css);

  it('keeps every rule once, in its order, leaving out only the token blocks of keys that never occur at run time', () => {
    const blocks = topLevelBlocks(css);
    expect(blocks.join('')).toBe(css);
    const kept = blocks.filter((block) => !block.startsWith('.css-var-_'));
    expect(kept.length).toBeGreaterThan(4000);
    expect([...parts.values()].reduce((sum, part) => sum + part.length, 0)).toBe(kept.join('').length);
    for (const part of parts.values()) expect(part).not.toContain('.css-var-_R_');
    // Within a part, the stylesheet's own order.
    const button = parts.get('button') ?? '';
    expect(button.indexOf('.ant-btn{')).toBeLessThan(button.indexOf('.ant-btn-compact-item'));
  });

  it("gives each rule to the component whose class it starts from (antd's prefixes, not folder names)", () => {
    expect(parts.get('button')).toContain('.ant-btn{');
    expect(parts.get('input')).toContain('textarea.ant-input');
    expect(parts.get('input')).toContain('.ant-otp');
    expect(parts.get('input-number')).toContain('.ant-input-number{');
    expect(parts.get('input')).not.toContain('.ant-input-number{');
    expect(parts.get('date-picker')).toContain('.ant-picker-dropdown');
    expect(parts.get('calendar')).toContain('.ant-picker-calendar');
    expect(parts.get('badge')).toContain('.ant-ribbon');
    expect(parts.get('form')).toContain('.ant-form-item .ant-form-item-label');
    expect(parts.get('tree-select')).toContain('.ant-tree-select-dropdown');
    // Motions, keyframes and icons belong to no component.
    expect(parts.get(BASE)).toContain('@keyframes antFadeIn');
    expect(parts.get(BASE)).toContain('.anticon{');
    expect(parts.get(BASE)).toContain('.ant-slide-up-enter');
  });

  it("finds the components whose style hooks a module of antd calls, not antd's shared style helpers", () => {
    expect(styleFoldersOf("import useStyle from './style';", es('button/Button.js'))).toEqual(['button']);
    expect(styleFoldersOf("import useSelectStyle from '../select/style';\nimport useStyle from './style';", es('tree-select/index.js'))).toEqual(['select', 'tree-select']);
    expect(styleFoldersOf("import { genFocusStyle } from '../../style';", es('button/style/index.js'))).toEqual([]);
    expect(styleFoldersOf("import CalendarLocale from '../calendar/locale/en_US';", es('date-picker/locale/en_US.js'))).toEqual([]);
  });
});
