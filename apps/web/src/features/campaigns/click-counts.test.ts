import { describe, expect, it } from 'vitest';
import { buttonTarget, clicksState, clicksStillMoving, showsClicks, type ButtonClicks } from './click-counts.ts';

const uri: ButtonClicks = { actionId: 'a1', kind: 'uri', label: '立即訂房', url: 'https://hotel.example/book', tagIds: ['t1'], clicks: 0, identified: 0, anonymous: 0, guests: 0, pending: 0 };
const postback: ButtonClicks = { actionId: 'a2', kind: 'postback', label: '我有興趣', url: null, tagIds: ['t1', 'gone'], clicks: 0, identified: 0, anonymous: 0, guests: 0, pending: 0 };

describe('showsClicks', () => {
  it('shows a campaign’s clicks once it has gone out, not a draft’s or a scheduled one’s', () => {
    expect(['sending', 'sent', 'paused'].map((s) => showsClicks(s as never, undefined))).toEqual([true, true, true]);
    expect(showsClicks('draft', 10)).toBe(false);
    expect(showsClicks('scheduled', undefined)).toBe(false);
  });

  it('shows a cancelled or failed campaign’s only when LINE accepted it for someone before it stopped', () => {
    expect(showsClicks('cancelled', 0)).toBe(false);
    expect(showsClicks('cancelled', undefined)).toBe(false);
    expect(showsClicks('cancelled', 3)).toBe(true);
    expect(showsClicks('failed', 1)).toBe(true);
  });
});

describe('clicksState', () => {
  it('tells no button from no click yet from clicks', () => {
    expect(clicksState({ data: [] })).toBe('no_buttons');
    expect(clicksState({ data: [uri, postback] })).toBe('no_clicks');
    expect(clicksState({ data: [uri, { ...postback, clicks: 1, identified: 1, guests: 1 }] })).toBe('clicks');
  });
});

describe('clicksStillMoving', () => {
  it('asks again while the campaign sends or a click’s tags are still being applied', () => {
    expect(clicksStillMoving('sending', undefined)).toBe(true);
    expect(clicksStillMoving('sent', { data: [{ ...uri, clicks: 2, pending: 1 }] })).toBe(true);
    expect(clicksStillMoving('sent', { data: [{ ...uri, clicks: 2 }, postback] })).toBe(false);
  });
});

describe('buttonTarget', () => {
  it('is a URL button’s link and the tags it gives, and a postback button’s tags, by name (a deleted tag left out)', () => {
    const names = new Map([['t1', '商務客']]);
    expect(buttonTarget(uri, names)).toEqual({ url: 'https://hotel.example/book', tags: ['商務客'] });
    expect(buttonTarget({ ...uri, tagIds: [] }, names)).toEqual({ url: 'https://hotel.example/book', tags: [] });
    expect(buttonTarget(postback, names)).toEqual({ url: null, tags: ['商務客'] });
    expect(buttonTarget({ ...postback, tagIds: [] }, names)).toEqual({ url: null, tags: [] });
  });
});
