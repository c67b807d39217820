import { ERROR_CATALOG, glossaryViolations, LOCALES, MEMBER_VALUE_LABELS } from '@innkeeper/contracts';
import { describe, expect, it } from 'vitest';
import { FIELD_MESSAGES } from '../../core/validation-messages.ts';
import { MODULES } from '../modules.ts';

/** The server's own words (errors, field messages, member value labels) follow the glossary (packages/contracts/src/glossary.ts). */
describe('server messages and the glossary', () => {
  const catalogs: Record<string, Record<string, Record<string, unknown>>> = {
    errors: ERROR_CATALOG,
    fields: FIELD_MESSAGES,
    // Every module's field messages, as its manifest declares them (members, member-transfer, segments, line, portal…).
    ...Object.fromEntries(MODULES.flatMap((module) => (module.fieldMessages ? [[module.name, module.fieldMessages]] : []))),
  };

  it.each(LOCALES)('no %s message uses a variant the glossary avoids', (locale) => {
    const texts: Array<readonly [string, string]> = [];
    for (const [name, catalog] of Object.entries(catalogs)) {
      for (const [code, entry] of Object.entries(catalog)) if (typeof entry[locale] === 'string') texts.push([`${name} ${code}`, entry[locale]]);
    }
    for (const [kind, words] of Object.entries(MEMBER_VALUE_LABELS[locale])) for (const [code, word] of Object.entries(words)) texts.push([`labels ${kind}.${code}`, word]);
    expect(texts.length).toBeGreaterThan(100);
    expect(glossaryViolations(locale, texts)).toEqual([]);
  });
});
