import { GLOSSARY, glossaryViolations, LOCALES, MEMBER_VALUE_LABELS, type Locale } from '@innkeeper/contracts';
import { describe, expect, it } from 'vitest';
import en from '../locales/en.json';
import zhTW from '../locales/zh-TW.json';

const FILES: Record<Locale, typeof zhTW> = { 'zh-TW': zhTW, en };

/** Every text of a locale file as [key, text]. */
function* texts(node: unknown, path: string): Generator<readonly [string, string]> {
  if (typeof node === 'string') yield [path, node];
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) yield* texts(value, path ? `${path}.${key}` : key);
  }
}

describe('glossary', () => {
  it.each(LOCALES)('no %s text uses a variant the glossary avoids (行動電話, 電子信箱, 住宿, 貼上標籤 …)', (locale) => {
    expect(glossaryViolations(locale, texts(FILES[locale], ''))).toEqual([]);
  });

  it.each(LOCALES)('the %s labels of these things are the glossary terms', (locale) => {
    const [file, terms] = [FILES[locale], GLOSSARY[locale]];
    expect(file.members.fields.mobile).toBe(terms.mobile!.use);
    expect(file.members.fields.email).toBe(terms.email!.use);
    expect(file.members.stays.title).toBe(terms.stayRecord!.use);
    expect(file.memberImport.kind.stays).toBe(terms.stayRecord!.use);
    expect(file.members.actor.importFile).toBe(terms.importFile!.use);
    expect(file.nav.followLog).toBe(terms.followLog!.use);
    // One state, one name on every screen that counts or lists it (the estimate, a send's skips, the follow log).
    expect([file.campaigns.estimate.noLine, file.campaigns.progress.reasons.no_line, file.followLog.lineStatus.never, MEMBER_VALUE_LABELS[locale].lineStatus.never]).toEqual(Array(4).fill(terms.notLineFriend!.use));
    expect([file.campaigns.estimate.noConsent, file.campaigns.progress.reasons.no_consent]).toEqual(Array(2).fill(terms.noConsent!.use));
  });

  it('finds a variant where one is used', () => {
    expect(glossaryViolations('zh-TW', [['x', '請輸入行動電話'], ['y', '已貼上標籤'], ['z', '手機']])).toEqual(['x: 行動電話 → 手機', 'y: 貼上標籤 → 加上標籤']);
  });
});
