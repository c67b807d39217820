import { describe, expect, it } from 'vitest';
import { LineError } from '../../http/errors.ts';
import { multicastSchema, parseSendRequest, pushSchema } from './requests.ts';

const policy = { strictHttps: true };
const to = `U${'a'.repeat(32)}`;

function errorOf(body: unknown, schema: typeof pushSchema | typeof multicastSchema = pushSchema): unknown {
  try {
    parseSendRequest(schema, body, policy);
  } catch (e) {
    expect(e).toBeInstanceOf(LineError);
    return (e as LineError).body;
  }
  throw new Error('expected a LINE error');
}

const push = (...messages: unknown[]) => ({ to, messages });
const buttons = (actions: unknown[], extra: Record<string, unknown> = {}) => ({ type: 'template', altText: 'alt', template: { type: 'buttons', text: '選擇', actions, ...extra } });
const postback = (label = '好', data = 'x=1') => ({ type: 'postback', label, data });

describe('message validation', () => {
  it('accepts well-formed messages of every common type', () => {
    const ok = parseSendRequest(
      pushSchema,
      push(
        { type: 'text', text: '$ 歡迎', emojis: [{ index: 0, productId: '5ac1bfd5040ab15980c9b435', emojiId: '001' }], quickReply: { items: [{ type: 'action', action: { type: 'message', label: '是', text: '是' } }] } },
        { type: 'image', originalContentUrl: 'https://cdn.example/a.jpg', previewImageUrl: 'https://cdn.example/a_s.jpg' },
        buttons([postback(), { type: 'uri', label: '網站', uri: 'https://hotel.example' }, { type: 'datetimepicker', label: '日期', data: 'd', mode: 'date', initial: '2026-03-01' }]),
        {
          type: 'flex',
          altText: '訂房確認',
          contents: { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: '已確認' }, { type: 'button', action: { type: 'uri', label: '查看', uri: 'https://hotel.example/r/1' } }] } },
        },
        { type: 'imagemap', baseUrl: 'https://cdn.example/map', altText: 'map', baseSize: { width: 1040, height: 1040 }, actions: [{ type: 'uri', linkUri: 'https://hotel.example', area: { x: 0, y: 0, width: 520, height: 1040 } }] },
      ),
      policy,
    );
    expect(ok.messages).toHaveLength(5);
  });

  it('reports an unknown message type with LINE\'s enumeration', () => {
    expect(errorOf(push({ type: 'fax' }))).toEqual({
      message: 'The request body has 1 error(s)',
      details: [{ message: 'Must be one of the following values: [text, textV2, sticker, image, video, audio, location, imagemap, template, flex, coupon]', property: 'messages[0].type' }],
    });
    expect(errorOf(push({ text: 'no type' }))).toEqual({ message: 'The request body has 1 error(s)', details: [{ message: 'May not be empty', property: 'messages[0].type' }] });
  });

  it('reports JSON type mismatches the way LINE\'s deserializer does', () => {
    expect(errorOf({ to: 42, messages: [{ type: 'text', text: 'x' }] })).toEqual({ message: "The property, 'to', in the request body is invalid (line: -, column: -)" });
    expect(errorOf({ to: 'U1', messages: [{ type: 'text', text: 'x' }] }, multicastSchema)).toEqual({ message: "The property, 'to', in the request body is invalid (line: -, column: -)" });
    expect(errorOf({ to, messages: [{ type: 'text', text: 7 }] })).toEqual({ message: "The property, 'messages[0].text', in the request body is invalid (line: -, column: -)" });
  });

  it('enforces template limits with JSON-pointer details', () => {
    expect(errorOf(push(buttons([postback('1'), postback('2'), postback('3'), postback('4'), postback('5')])))).toEqual({
      message: 'A message (messages[0]) in the request body is invalid',
      details: [{ message: 'size must be between 1 and 4', property: '/template/actions' }],
    });
    expect(errorOf(push(buttons([postback('這是一個超過二十個字元的按鈕標籤文字喔喔喔')])))).toEqual({
      message: 'A message (messages[0]) in the request body is invalid',
      details: [{ message: 'length must be between 1 and 20', property: '/template/actions/0/label' }],
    });
    expect(errorOf(push(buttons([{ type: 'postback', label: 'x', data: 'd', displayText: 'a', text: 'b' }])))).toMatchObject({
      details: [{ message: 'displayText and text cannot both be set', property: '/template/actions/0/displayText' }],
    });
    expect(errorOf(push(buttons([{ type: 'uri', label: 'x', uri: 'javascript:alert(1)' }])))).toMatchObject({ details: [{ message: 'invalid uri scheme', property: '/template/actions/0/uri' }] });
    expect(errorOf(push(buttons([{ type: 'postback', label: 'x' }])))).toMatchObject({ details: [{ message: 'must be specified', property: '/template/actions/0/data' }] });
    expect(errorOf(push(buttons([{ type: 'camera', label: 'x' }])))).toMatchObject({ details: [{ message: 'invalid property', property: '/template/actions/0/type' }] });
    const carousel = { type: 'template', altText: 'c', template: { type: 'carousel', columns: [{ text: 'a', actions: [postback()] }, { text: 'b', actions: [postback(), postback('2')] }] } };
    expect(errorOf(push(carousel))).toMatchObject({ details: [{ message: 'all columns must have the same number of actions', property: '/template/columns/1/actions' }] });
  });

  it('enforces quick reply, emoji, media URL and flex rules', () => {
    const items = Array.from({ length: 14 }, () => ({ type: 'action', action: { type: 'message', label: 'q', text: 'q' } }));
    expect(errorOf(push({ type: 'text', text: 'hi', quickReply: { items } }))).toMatchObject({ details: [{ message: 'size must be between 1 and 13', property: '/quickReply/items' }] });
    expect(errorOf(push({ type: 'text', text: 'hi', emojis: [{ index: 0, productId: 'p', emojiId: '001' }] }))).toMatchObject({ details: [{ property: '/emojis/0/index' }] });
    expect(errorOf(push({ type: 'image', originalContentUrl: 'http://insecure.example/a.jpg', previewImageUrl: 'https://cdn.example/a.jpg' }))).toMatchObject({
      details: [{ message: 'must be a valid HTTPS URL', property: '/originalContentUrl' }],
    });
    expect(parseSendRequest(pushSchema, push({ type: 'image', originalContentUrl: 'http://localhost:3000/a.jpg', previewImageUrl: 'http://localhost:3000/a.jpg' }), { strictHttps: false }).messages).toHaveLength(1);
    const badFlex = { type: 'flex', altText: 'f', contents: { type: 'bubble', footer: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: 'a' }, { type: 'sparkle' }] } } };
    expect(errorOf(push(badFlex))).toMatchObject({ message: 'A message (messages[0]) in the request body is invalid', details: [{ message: 'invalid property', property: '/contents/footer/contents/1/type' }] });
    const tooMany = { type: 'flex', altText: 'f', contents: { type: 'carousel', contents: Array.from({ length: 13 }, () => ({ type: 'bubble' })) } };
    expect(errorOf(push(tooMany))).toMatchObject({ details: [{ message: 'size must be between 1 and 12', property: '/contents/contents' }] });
    const huge = { type: 'flex', altText: 'f', contents: { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: 'x'.repeat(31 * 1024) }] } } };
    expect(errorOf(push(huge))).toMatchObject({ details: [{ message: 'size must be less than 30KB', property: '/contents' }] });
  });

  it('checks custom aggregation unit names', () => {
    expect(errorOf({ ...push({ type: 'text', text: 'x' }), customAggregationUnits: ['new-item'] })).toEqual({
      message: 'The request body has 1 error(s)',
      details: [{ message: 'Must match "^[a-zA-Z0-9_]{1,30}$"', property: 'customAggregationUnits[0]' }],
    });
    expect(errorOf({ ...push({ type: 'text', text: 'x' }), customAggregationUnits: ['a', 'b'] })).toMatchObject({ details: [{ message: 'Size must be between 0 and 1', property: 'customAggregationUnits' }] });
  });

  it('checks Flex styling values against the enums of LINE’s OpenAPI definition, with px and % where LINE allows them', () => {
    const bubble = (body: Record<string, unknown>, extra: Record<string, unknown> = {}) => push({ type: 'flex', altText: 'f', contents: { type: 'bubble', ...extra, body: { type: 'box', layout: 'vertical', contents: [], ...body } } });
    const styled = bubble(
      {
        spacing: 'md',
        margin: '12px',
        paddingAll: '5%',
        cornerRadius: 'xl',
        borderWidth: 'semi-bold',
        justifyContent: 'space-between',
        alignItems: 'center',
        background: { type: 'linearGradient', angle: '90deg', startColor: '#FFFFFF', endColor: '#00000080' },
        contents: [
          { type: 'text', text: '平日商務優惠', size: '3xl', weight: 'bold', style: 'italic', decoration: 'underline', align: 'center', gravity: 'top', color: '#AA3300', lineSpacing: '4px', adjustMode: 'shrink-to-fit' },
          { type: 'image', url: 'https://cdn.example/a.jpg', size: 'full', aspectRatio: '20:13', aspectMode: 'cover' },
          { type: 'button', style: 'primary', height: 'sm', gravity: 'bottom', action: { type: 'postback', label: '我要預訂', data: 'c=1' } },
          { type: 'separator', margin: 'xxl', color: '#EEEEEE' },
        ],
      },
      { size: 'giga', styles: { footer: { separator: true, separatorColor: '#DDDDDD' } } },
    );
    expect(parseSendRequest(pushSchema, styled, policy).messages).toHaveLength(1);

    expect(errorOf(bubble({ spacing: 'huge' }))).toEqual({
      message: 'A message (messages[0]) in the request body is invalid',
      details: [{ message: 'must be one of the following values: [none, xs, sm, md, lg, xl, xxl, {n}px]', property: '/contents/body/spacing' }],
    });
    expect(errorOf(bubble({ contents: [{ type: 'text', text: 'a', weight: 'heavy' }] }))).toMatchObject({ details: [{ message: 'must be one of the following values: [regular, bold]', property: '/contents/body/contents/0/weight' }] });
    expect(errorOf(bubble({ contents: [{ type: 'text', text: 'a', size: '6xl' }] }))).toMatchObject({ details: [{ property: '/contents/body/contents/0/size' }] });
    expect(errorOf(bubble({ contents: [{ type: 'text', text: 'a', color: 'red' }] }))).toMatchObject({ details: [{ message: 'must be a hex color code', property: '/contents/body/contents/0/color' }] });
    expect(errorOf(bubble({ contents: [{ type: 'button', style: 'danger', action: { type: 'postback', label: 'x', data: 'x' } }] }))).toMatchObject({ details: [{ property: '/contents/body/contents/0/style' }] });
    expect(errorOf(bubble({ contents: [{ type: 'image', url: 'https://cdn.example/a.jpg', aspectRatio: 'wide' }] }))).toMatchObject({ details: [{ property: '/contents/body/contents/0/aspectRatio' }] });
    expect(errorOf(bubble({ justifyContent: 'stretch' }))).toMatchObject({ details: [{ property: '/contents/body/justifyContent' }] });
    expect(errorOf(bubble({}, { size: 'tera' }))).toMatchObject({ details: [{ property: '/contents/size' }] });
    // One bad message refuses the whole request.
    expect(errorOf(push({ type: 'text', text: 'ok' }, { type: 'flex', altText: 'f', contents: { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [], margin: '-3px' } } }))).toMatchObject({
      message: 'A message (messages[1]) in the request body is invalid',
    });
  });

  it('wants URLs percent-encoded', () => {
    const link = (uri: string) => buttons([{ type: 'uri', label: '看看', uri }]);
    expect(parseSendRequest(pushSchema, push(link('https://hotel.example/%E6%88%BF%E5%9E%8B?q=a%20b')), policy).messages).toHaveLength(1);
    expect(errorOf(push(link('https://hotel.example/房型')))).toMatchObject({ details: [{ message: 'must be percent-encoded', property: '/template/actions/0/uri' }] });
    expect(errorOf(push(link('https://hotel.example/a b')))).toMatchObject({ details: [{ message: 'must be percent-encoded' }] });
    expect(errorOf(push({ type: 'image', originalContentUrl: 'https://cdn.example/早餐.jpg', previewImageUrl: 'https://cdn.example/a.jpg' }))).toMatchObject({ details: [{ message: 'must be percent-encoded', property: '/originalContentUrl' }] });
  });
});
