import { CAMPAIGN_FIELD_MESSAGES, ERROR_CATALOG, glossaryViolations, LOCALES, MEMBER_VALUE_LABELS } from '@innkeeper/contracts';
import { describe, expect, it } from 'vitest';
import { FIELD_MESSAGES } from '../../core/validation-messages.ts';
import { LINE_FIELD_MESSAGES } from '../../modules/line/index.ts';
import { PORTAL_FIELD_MESSAGES } from '../../modules/member-portal/index.ts';
import { MEMBER_TRANSFER_FIELD_MESSAGES } from '../../modules/member-transfer/index.ts';
import { MEMBER_FIELD_MESSAGES } from '../../modules/members/index.ts';
import { SEGMENT_FIELD_MESSAGES } from '../../modules/segments/index.ts';

/** The server's own words (errors, field messages, member value labels) follow the glossary (packages/contracts/src/glossary.ts). */
describe('server messages and the glossary', () => {
  const catalogs: Record<string, Record<string, Record<string, unknown>>> = {
    errors: ERROR_CATALOG,
    fields: FIELD_MESSAGES,
    members: MEMBER_FIELD_MESSAGES,
    memberTransfer: MEMBER_TRANSFER_FIELD_MESSAGES,
    segments: SEGMENT_FIELD_MESSAGES,
    line: LINE_FIELD_MESSAGES,
    portal: PORTAL_FIELD_MESSAGES,
    campaigns: CAMPAIGN_FIELD_MESSAGES,
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
