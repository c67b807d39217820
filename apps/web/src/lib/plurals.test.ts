import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import en from '../locales/en.json';
import zhTW from '../locales/zh-TW.json';

/** Every text of a locale file as [key, text]. */
function* texts(node: unknown, path: string): Generator<readonly [string, string]> {
  if (typeof node === 'string') yield [path, node];
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) yield* texts(value, path ? `${path}.${key}` : key);
  }
}

// Counts whose English words do not change with the number ("3 s", "Decide 1 in Binding reviews", "2, latest …").
const SAME_FOR_ONE = new Set(['pms.seconds', 'pms.openReviews', 'pmsReviews.staysValue']);

describe('counted texts', () => {
  it('every English text with a {{count}} has its one and other forms (the estimate read "1 requests")', () => {
    const single = [...texts(en, '')].filter(([key, text]) => text.includes('{{count}}') && !/_(one|other)$/.test(key) && !SAME_FOR_ONE.has(key));
    expect(single.map(([key]) => key)).toEqual([]);
  });

  it('i18next picks the form by the number, in English and in Chinese', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources: { en: { translation: en }, 'zh-TW': { translation: zhTW } }, lng: 'en', interpolation: { escapeValue: false } });
    expect(i18n.t('campaigns.estimate.multicast', { count: 1 })).toBe('Sent by multicast (up to 500 per request): 1 request');
    expect(i18n.t('campaigns.estimate.multicast', { count: 3 })).toBe('Sent by multicast (up to 500 per request): 3 requests');
    expect(i18n.t('campaigns.list.awaitingApproval', { count: 1 })).toBe('1 draft waiting for approval');
    expect(i18n.t('campaigns.estimate.multicast', { count: 1, lng: 'zh-TW' })).toBe('以群發送出（每次最多 500 人），共 1 次請求');
  });
});
