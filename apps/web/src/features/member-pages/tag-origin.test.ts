import { describe, expect, it } from 'vitest';
import en from '../../locales/en.json';
import zhTW from '../../locales/zh-TW.json';
import { buttonOrigin, type TagOrigin } from './tag-origin.ts';

const fill = (text: string, params: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => params[name] ?? `{{${name}}}`);
/** The words the member page shows, in one language: 來源：… on the tags card. */
function words(locale: typeof zhTW, origin: TagOrigin): string | undefined {
  const found = buttonOrigin(origin);
  return found && fill(locale.members.tags.fromText, { text: fill(locale.members.tagOrigin[found.key], found.params) });
}

const button: TagOrigin = { source: 'campaign', sourceLabel: '平日商務優惠', sourceDetail: '我有興趣', otherProperty: false };

describe('where a tag a button gave came from', () => {
  it('names the campaign and the button apart, in both languages', () => {
    expect(words(zhTW, button)).toBe('來源：活動「平日商務優惠」的「我有興趣」按鈕');
    expect(words(en, button)).toBe('from the “我有興趣” button of the campaign “平日商務優惠”');
    expect(words(zhTW, { ...button, source: 'rule', sourceLabel: '商務住宿優惠' })).toBe('來源：自動規則「商務住宿優惠」的「我有興趣」按鈕');
  });

  it('another property’s campaign or rule is not named (the server left the names out)', () => {
    expect(words(zhTW, { source: 'campaign', sourceLabel: undefined, sourceDetail: undefined, otherProperty: true })).toBe('來源：其他館別的活動');
    expect(words(en, { source: 'rule', sourceLabel: undefined, sourceDetail: undefined, otherProperty: true })).toBe('from another property’s rule');
  });

  it('leaves every other origin to the plain words (staff, import, a tag before buttons were named apart)', () => {
    expect(buttonOrigin({ source: 'import', sourceLabel: '會員.csv', sourceDetail: undefined, otherProperty: false })).toBeUndefined();
    expect(buttonOrigin({ source: 'campaign', sourceLabel: '平日商務優惠：我有興趣', sourceDetail: '', otherProperty: false })).toBeUndefined();
  });
});
