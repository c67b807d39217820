import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Chinese punctuation written into a component shows on the English screens too ("Sync problem：…",
// "550（Coverage 90.6%）", "ID, name、mobile"). Separators, brackets and quotes around translated words belong in the
// locale files (members.listSeparator, common.withNote, common.labelValue, common.quoted).
const SRC = join(import.meta.dirname, '..');
const FULL_WIDTH = /[：（）、「」，。]/;
/** Where the punctuation is data, not wording: a stored connection name, what staff may type as a separator. */
const ALLOWED = [/'德安 PMS（模擬）'/, /tokenSeparators=\{\[/];

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) yield path;
  }
}

/** The file's code lines with comments taken out (block comments, and line comments that start a line or follow a space). */
function codeLines(text: string): Array<[number, string]> {
  const withoutBlocks = text.replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, ' '));
  return withoutBlocks.split('\n').map((line, i): [number, string] => [i + 1, line.replace(/(^|\s)\/\/.*$/, '$1')]);
}

describe('component code', () => {
  it('writes no Chinese punctuation into text that English screens show', () => {
    const found: string[] = [];
    for (const file of sources(SRC)) {
      if (file.includes(`${join('src', 'locales')}`)) continue;
      for (const [n, line] of codeLines(readFileSync(file, 'utf8'))) {
        if (FULL_WIDTH.test(line) && !ALLOWED.some((a) => a.test(line))) found.push(`${relative(SRC, file)}:${n}`);
      }
    }
    expect(found).toEqual([]);
  });
});
