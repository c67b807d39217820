import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from './index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const moduleFiles = fs.readdirSync(here).filter((name) => name.endsWith('.ts') && !['index.ts', 'entry.ts'].includes(name) && !name.endsWith('.test.ts'));

/** Each module keeps its error codes in its own file; the catalogue is their union. */
describe('the error catalogue', () => {
  it('holds every code of every module file, each defined in one file only', async () => {
    const seen = new Map<string, string>();
    for (const file of moduleFiles) {
      const tables = Object.values(await import(path.join(here, file))) as Array<Record<string, unknown>>;
      for (const table of tables) {
        for (const [code, entry] of Object.entries(table)) {
          expect(seen.get(code), `${code} is defined in ${seen.get(code)} and ${file}`).toBeUndefined();
          seen.set(code, file);
          expect(ERROR_CATALOG, `${file} is not merged in errors/index.ts`).toHaveProperty([code], entry);
        }
      }
    }
    expect(moduleFiles.length).toBeGreaterThan(5);
    expect([...seen.keys()].sort()).toEqual(Object.keys(ERROR_CATALOG).sort());
  });
});
