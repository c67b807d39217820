import { buildSimulator } from '@innkeeper/line-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZCampaignMessages } from '@innkeeper/contracts/api';
import { personalise } from '@innkeeper/contracts';
import { readImageInfo } from '../image-format.ts';
import { postbackData, toLineMessages } from '../line-messages.ts';
import { instantToLocal, localToInstant } from '../local-time.ts';
import { jpegHeader, png } from './test-images.ts';

const CAMPAIGN = '01900000-0000-7000-8000-00000000c0de';
const imageUrls = (id: string) => ({ original: `https://innkeeper.example/media/campaign-images/t/${id}/original`, preview: `https://innkeeper.example/media/campaign-images/t/${id}/preview` });

/** The builder's messages at their longest: every LINE object it can produce, each field at its limit. */
const longest = ZCampaignMessages.parse([
  { type: 'text', text: `{firstName}${'字'.repeat(4900)}` },
  { type: 'image', imageId: '01900000-0000-7000-8000-000000000001' },
  {
    type: 'buttons',
    altText: 'a'.repeat(1500),
    title: 't'.repeat(40),
    imageId: '01900000-0000-7000-8000-000000000001',
    text: 'x'.repeat(60),
    actions: Array.from({ length: 4 }, (_, i) => (i % 2 ? { id: `p${i}`, type: 'postback', label: 'l'.repeat(20), displayText: 'd'.repeat(300) } : { id: `u${i}`, type: 'uri', label: 'l'.repeat(20), uri: `https://hotel.example/${'u'.repeat(978)}` })),
  },
  { type: 'bubble', altText: '單張', imageId: '01900000-0000-7000-8000-000000000001', title: '標'.repeat(100), text: '文'.repeat(1000), actions: Array.from({ length: 4 }, (_, i) => ({ id: `b${i}`, type: 'postback', label: '按'.repeat(40) })) },
  { type: 'carousel', altText: '輪播', cards: Array.from({ length: 12 }, (_, c) => ({ title: `卡片 ${c}`, text: '說明', actions: [{ id: `c${c}`, type: 'uri', label: '看看', uri: 'https://hotel.example/x' }] })) },
]);

describe('LINE message objects built from a campaign', () => {
  let sim: ReturnType<typeof buildSimulator>;
  let token: string;
  beforeAll(async () => {
    // The simulator validates as strictly as LINE (HTTPS only, every limit of the reference).
    sim = buildSimulator({ strictHttps: true, seed: 'campaign-messages' });
    await sim.app.ready();
    token = sim.sim.createChannel({ displayName: '測試飯店' }).channelAccessToken;
  });
  afterAll(() => sim.app.close());

  const validate = async (messages: unknown[]) => {
    const response = await sim.app.inject({ method: 'POST', url: '/v2/bot/message/validate/multicast', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: { messages } });
    return { status: response.statusCode, body: response.json() };
  };

  it("pass the simulator's LINE validation at every limit the builder allows", async () => {
    const personalised = toLineMessages(longest, { campaignId: CAMPAIGN, imageUrls, personalise: (text) => text.replace('{firstName}', '名'.repeat(100)) });
    expect(personalised[0]).toMatchObject({ type: 'text' });
    expect((personalised[0] as { text: string }).text.length).toBe(5000);
    expect(await validate(personalised)).toEqual({ status: 200, body: {} });
  });

  it('name the campaign and the button in postback data, well under 300 characters', () => {
    const [, , buttons] = toLineMessages(longest, { campaignId: CAMPAIGN, imageUrls });
    const actions = (buttons as { template: { actions: Array<{ type: string; data?: string; uri?: string }> } }).template.actions;
    expect(actions[1]).toMatchObject({ type: 'postback', data: postbackData(CAMPAIGN, 'p1') });
    expect(actions[0]).toMatchObject({ type: 'uri', uri: expect.stringMatching(/^https:\/\/hotel\.example\//) });
    expect(postbackData(CAMPAIGN, 'abcdefghijkl').length).toBeLessThanOrEqual(300);
  });

  it('a label one over the template limit is refused by the simulator as by our schema', async () => {
    const over = [{ type: 'template', altText: 'x', template: { type: 'buttons', text: 'x', actions: [{ type: 'postback', label: 'l'.repeat(21), data: 'x' }] } }];
    expect((await validate(over)).status).toBe(400);
    expect(ZCampaignMessages.safeParse([{ type: 'buttons', altText: 'x', text: 'x', actions: [{ type: 'postback', label: 'l'.repeat(21) }] }]).success).toBe(false);
  });
});

describe('image formats read from the bytes', () => {
  it('PNG and JPEG with their size; anything else is not an image LINE takes', () => {
    expect(readImageInfo(png(1040, 700))).toEqual({ contentType: 'image/png', width: 1040, height: 700 });
    expect(readImageInfo(jpegHeader(640, 480))).toEqual({ contentType: 'image/jpeg', width: 640, height: 480 });
    expect(readImageInfo(Buffer.from('GIF89a', 'latin1'))).toBeUndefined();
    expect(readImageInfo(png(10, 10).subarray(0, 20))).toBeUndefined();
    expect(readImageInfo(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toBeUndefined();
  });
});

describe('hotel-local schedule times', () => {
  it('Asia/Taipei is UTC+8', () => {
    expect(localToInstant('2026-11-25T09:00', 'Asia/Taipei')?.toISOString()).toBe('2026-11-25T01:00:00.000Z');
    expect(instantToLocal(new Date('2026-11-25T01:00:00Z'), 'Asia/Taipei')).toBe('2026-11-25T09:00');
  });

  it('follows daylight saving where a hotel has it, and refuses dates that do not exist', () => {
    expect(localToInstant('2026-07-01T09:00', 'America/New_York')?.toISOString()).toBe('2026-07-01T13:00:00.000Z');
    expect(localToInstant('2026-12-01T09:00', 'America/New_York')?.toISOString()).toBe('2026-12-01T14:00:00.000Z');
    expect(localToInstant('2026-02-30T09:00', 'Asia/Taipei')).toBeUndefined();
    expect(localToInstant('2026-11-25 09:00', 'Asia/Taipei')).toBeUndefined();
  });
});

describe('personalisation', () => {
  it('names every guest: a missing first name falls back to the LINE name, then to 貴賓; last name and member number stay empty', () => {
    const text = '{lastName}{firstName} 您好！會員 {memberNo}（{displayName}）';
    expect(personalise(text, { firstName: '俊傑', lastName: '林', displayName: 'Jay', memberNo: 'M001' })).toBe('林俊傑 您好！會員 M001（Jay）');
    expect(personalise(text, { firstName: '', lastName: '', displayName: 'Jay', memberNo: 'M002' })).toBe('Jay 您好！會員 M002（Jay）');
    expect(personalise(text, { firstName: ' ', lastName: '', displayName: '', memberNo: '' })).toBe('貴賓 您好！會員 （貴賓）');
    expect(personalise('{displayName} 您好', { firstName: '俊傑', displayName: '' })).toBe('俊傑 您好');
    expect(personalise('{unknown} {firstName}', {})).toBe('{unknown} 貴賓');
  });
});
