import { describe, expect, it } from 'vitest';
import { toRequestMessages, withButtonTags, withoutButtonTags, type MessageDraft } from './messages.ts';
import { imagePath, previewOf, SAMPLE_GUEST, sampleGuestFor, type PreviewContext } from './preview.ts';

const context: PreviewContext = {
  images: new Map([['img-1', { src: '/media/campaign-images/t/tok/original', width: 1040, height: 676 }]]),
  tagNames: new Map([['tag-business', '商務客']]),
  sample: SAMPLE_GUEST,
};

const messages: MessageDraft[] = [
  { type: 'text', text: '{lastName}{firstName} 您好，{nickname} 不是個人化欄位' },
  { type: 'image', imageId: 'img-1' },
  { type: 'buttons', altText: '平日商務優惠', title: '平日商務優惠', text: '週一至週四 85 折', imageId: 'img-1', actions: [{ type: 'postback', label: '我有興趣', tagIds: ['tag-business', 'deleted-tag'] }] },
  { type: 'bubble', altText: '卡片', title: '商務客專屬', text: '', actions: [{ type: 'uri', label: '訂房', uri: 'https://hotel.example', tagIds: [] }] },
  { type: 'carousel', altText: '輪播', cards: [{ title: '台北館', actions: [] }, { title: '台中館', imageId: 'missing', actions: [] }] },
];

describe('the LINE preview of a campaign', () => {
  it('fills placeholders for the sample guest and leaves unknown ones as typed', () => {
    expect(previewOf(messages, context)[0]).toEqual({ kind: 'text', text: '王小明 您好，{nickname} 不是個人化欄位' });
  });

  it('names the sample guest in the staff\'s language: 王小明 in Chinese (not a romanised WangMing), Emma Chen in English', () => {
    expect(`${SAMPLE_GUEST.lastName}${SAMPLE_GUEST.firstName}`).toBe('王小明');
    expect(Object.values(SAMPLE_GUEST).join(' ')).not.toMatch(/Wang|Ming/);
    expect(sampleGuestFor('zh-TW')).toBe(SAMPLE_GUEST);
    const english = sampleGuestFor('en');
    expect([english.firstName, english.lastName]).toEqual(['Emma', 'Chen']);
    expect(Object.values(english).join(' ')).not.toMatch(/[\u3400-\u9fff]/);
    expect(previewOf([{ type: 'text', text: 'Hi {firstName}' }], { ...context, sample: english })[0]).toEqual({ kind: 'text', text: 'Hi Emma' });
  });

  it('shows images, the buttons template with the tags each button gives, and Flex cards', () => {
    const [, picture, buttons, bubble, carousel] = previewOf(messages, context);
    expect(picture).toEqual({ kind: 'image', image: { src: '/media/campaign-images/t/tok/original', width: 1040, height: 676 } });
    expect(buttons).toEqual({ kind: 'buttons', image: context.images.get('img-1'), title: '平日商務優惠', text: '週一至週四 85 折', buttons: [{ label: '我有興趣', kind: 'postback', tags: ['商務客'] }] });
    expect(bubble).toEqual({ kind: 'flex', cards: [{ image: undefined, title: '商務客專屬', text: '', buttons: [{ label: '訂房', kind: 'uri', tags: [] }] }] });
    expect(carousel).toMatchObject({ kind: 'flex', cards: [{ title: '台北館', image: undefined }, { title: '台中館', image: undefined }] });
  });

  it('uses the same-origin path of image URLs', () => {
    expect(imagePath('http://localhost:3000/media/campaign-images/t/tok/original')).toBe('/media/campaign-images/t/tok/original');
  });
});

describe('messages sent to the API', () => {
  it('leave out empty optional texts and the other action kind’s fields', () => {
    const sent = toRequestMessages([
      { type: 'buttons', altText: 'a', title: ' ', text: 't', actions: [{ id: 'k1', type: 'uri', label: 'l', uri: 'https://x.example', displayText: 'stale', tagIds: [] }] },
      { type: 'bubble', altText: 'a', title: 'T', text: '', actions: [{ type: 'postback', label: 'l', uri: 'https://stale.example', displayText: '', tagIds: ['t'] }] },
    ]);
    expect(sent).toEqual([
      { type: 'buttons', altText: 'a', text: 't', actions: [{ id: 'k1', type: 'uri', label: 'l', uri: 'https://x.example', tagIds: [] }] },
      { type: 'bubble', altText: 'a', title: 'T', actions: [{ type: 'postback', label: 'l', tagIds: ['t'] }] },
    ]);
  });
});

describe('click tags chosen on a button', () => {
  const tagged: MessageDraft[] = [
    { type: 'text', text: '您好' },
    { type: 'buttons', altText: 'a', text: 't', actions: [{ type: 'postback', label: '我有興趣', tagIds: ['business'] }] },
    { type: 'carousel', altText: 'c', cards: [{ title: '一', actions: [{ type: 'uri', label: '訂房', uri: 'https://x.example', tagIds: ['family', 'business'] }] }] },
  ];

  it('are the campaign’s tags too, after the ones chosen for it, each once', () => {
    expect(withButtonTags(['vip'], tagged)).toEqual(['vip', 'business', 'family']);
    expect(withButtonTags([], [{ type: 'text', text: '' }])).toEqual([]);
  });

  it('leave every button a tag is taken off the campaign', () => {
    const after = withoutButtonTags(tagged, ['business']);
    expect(withButtonTags([], after)).toEqual(['family']);
    expect(after[0]).toEqual(tagged[0]);
  });
});
