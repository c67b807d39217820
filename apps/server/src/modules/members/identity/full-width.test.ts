import { describe, expect, it } from 'vitest';
import { normaliseDocumentNumber, toHalfWidth, toHalfWidthIdentifier, toHalfWidthVisible } from './full-width.ts';

describe('toHalfWidth', () => {
  it('maps every full-width ASCII character U+FF01–U+FF5E to its ASCII counterpart', () => {
    for (let code = 0xff01; code <= 0xff5e; code++) {
      expect(toHalfWidth(String.fromCharCode(code))).toBe(String.fromCharCode(code - 0xfee0));
    }
  });

  it('maps full-width letters, digits and the ideographic space', () => {
    expect(toHalfWidth('Ａ１２３ａｚ\u3000０９')).toBe('A123az 09');
    expect(toHalfWidth('＋８８６（０）')).toBe('+886(0)');
  });

  it('leaves everything else alone, unlike NFKC', () => {
    const odd = '①²ﬁ㈱王小明ｱ';
    expect(toHalfWidth(odd)).toBe(odd);
    expect(odd.normalize('NFKC')).toBe('12fi(株)王小明ア');
    expect(toHalfWidth('Ａ１　').normalize('NFC')).toBe('Ａ１　'.normalize('NFKC'));
  });
});

describe('toHalfWidthIdentifier and toHalfWidthVisible', () => {
  it('turns dash look-alikes into "-"', () => {
    expect(toHalfWidthIdentifier('0‐1‑2‒3–4—5―6−7﹘8﹣9ー0ｰ1－2')).toBe('0-1-2-3-4-5-6-7-8-9-0-1-2');
  });

  it('removes zero-width characters but keeps ordinary spaces', () => {
    expect(toHalfWidthVisible('a\u200Bb\u200Cc\u200Dd\u2060e\uFEFF f')).toBe('abcde f');
    expect(toHalfWidthVisible('a－b')).toBe('a-b');
    expect(toHalfWidthVisible('aーb')).toBe('aーb');
  });

  it('normaliseDocumentNumber removes all whitespace and dashes and upper-cases', () => {
    expect(normaliseDocumentNumber(' \u3000ａ１２３－４５６ ７８９\t')).toBe('A123456789');
  });
});
