import type { Rng } from './random.ts';

/**
 * The noise of pms.md §5.1, one function per field. Each returns the text as a front desk would have typed it and
 * the tag naming what was done, so the manifest can report the realised rate of every tag.
 */
export type Noisy = { text: string; tag: string };

export function toFullWidth(text: string): string {
  return text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');
}

/** One digit changed so that the checksum no longer holds (a typo the front desk did not notice). */
function typoId(rng: Rng, id: string, isValid: (v: string) => boolean): string {
  for (;;) {
    const pos = rng.range(2, 9);
    const digit = String((Number(id[pos]) + rng.range(1, 9)) % 10);
    const typo = id.slice(0, pos) + digit + id.slice(pos + 1);
    if (!isValid(typo)) return typo;
  }
}

/** ID_NOS noise, of IDs present: spaces 5%, lowercase 2%, full-width 1%, separators 0.5%, typo 1.5%, masked 0.5%, placeholder 0.3%. */
export function noisyId(rng: Rng, id: string, isValid: (v: string) => boolean): Noisy {
  const kind = rng.weighted([
    ['clean', 89.2],
    ['spaces', 5],
    ['lowercase', 2],
    ['full_width', 1],
    ['separators', 0.5],
    ['typo', 1.5],
    ['masked', 0.5],
    ['placeholder', 0.3],
  ] as const);
  switch (kind) {
    case 'clean':
      return { text: id, tag: 'id_clean' };
    case 'spaces':
      return { text: rng.chance(0.5) ? `${id}   ` : `${id[0]} ${id.slice(1)}`, tag: 'id_spaces' };
    case 'lowercase':
      return { text: id.toLowerCase(), tag: 'id_lowercase' };
    case 'full_width':
      return { text: toFullWidth(id), tag: 'id_full_width' };
    case 'separators':
      return { text: `${id.slice(0, 4)}-${id.slice(4, 7)}-${id.slice(7)}`, tag: 'id_separators' };
    case 'typo':
      return { text: typoId(rng, id, isValid), tag: 'id_typo' };
    case 'masked':
      return { text: `${id.slice(0, 3)}*****${id.slice(8)}`, tag: 'id_masked' };
    case 'placeholder':
      return { text: rng.pick(['A123456789', '0000000000', 'NA', '無']), tag: 'id_placeholder' };
  }
}

/** One digit of a 9-digit national number changed (a typo that still looks like a number). */
export function typoMobile(rng: Rng, national: string): string {
  const pos = rng.range(3, 8);
  return national.slice(0, pos) + String((Number(national[pos]) + rng.range(1, 9)) % 10) + national.slice(pos + 1);
}

/**
 * How a Taiwan mobile (9 national digits) is written (pms.md §5.1): `09…` 55%, `09xx-xxx-xxx` 18%, `09xx xxx xxx` 4%,
 * `+886…` 6%, `+886 9xx…` 3%, `886…` 3%, `8860…` 2%, `+886-0…` 1%, `00886…` 1%, missing 0 2%, full-width 2%,
 * a note 1%, two numbers 1.5%, a one-digit typo 1.5%.
 */
export function noisyMobile(rng: Rng, n: string, second: () => string): Noisy {
  const local = `0${n}`;
  const dashed = `0${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`;
  const kind = rng.weighted([
    ['plain', 54],
    ['dashed', 18],
    ['spaced', 4],
    ['plus886', 6],
    ['plus886_spaced', 3],
    ['cc_no_plus', 3],
    ['cc_trunk0', 2],
    ['plus886_dash0', 1],
    ['intl_00', 1],
    ['missing_0', 2],
    ['full_width', 2],
    ['note', 1],
    ['two_numbers', 1.5],
    ['typo', 1.5],
  ] as const);
  switch (kind) {
    case 'plain':
      return { text: local, tag: 'mobile_plain' };
    case 'dashed':
      return { text: dashed, tag: 'mobile_dashed' };
    case 'spaced':
      return { text: dashed.replace(/-/g, ' '), tag: 'mobile_spaced' };
    case 'plus886':
      return { text: `+886${n}`, tag: 'mobile_plus886' };
    case 'plus886_spaced':
      return { text: `+886 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, tag: 'mobile_plus886_spaced' };
    case 'cc_no_plus':
      return { text: `886${n}`, tag: 'mobile_cc_no_plus' };
    case 'cc_trunk0':
      return { text: `8860${n}`, tag: 'mobile_cc_trunk0' };
    case 'plus886_dash0':
      return { text: `+886-0${n}`, tag: 'mobile_plus886_dash0' };
    case 'intl_00':
      return { text: `00886${n}`, tag: 'mobile_intl_00' };
    case 'missing_0':
      return { text: n, tag: 'mobile_missing_0' };
    case 'full_width':
      return { text: toFullWidth(rng.chance(0.5) ? local : dashed), tag: 'mobile_full_width' };
    case 'note':
      return { text: `${local}(${rng.pick(['手機', '本人', 'LINE'])})`, tag: 'mobile_note' };
    case 'two_numbers':
      return { text: `${local}${rng.pick([' / ', '、', ','])}${second()}`, tag: 'mobile_two_numbers' };
    case 'typo':
      return { text: `0${typoMobile(rng, n)}`, tag: 'mobile_typo' };
  }
}

/** How a foreign mobile (E.164) is written: as is, with spaces, or without the plus. */
export function noisyForeignMobile(rng: Rng, e164: string): Noisy {
  const kind = rng.weighted([['e164', 60], ['spaced', 25], ['no_plus_00', 15]] as const);
  if (kind === 'e164') return { text: e164, tag: 'foreign_mobile_e164' };
  if (kind === 'spaced') return { text: `${e164.slice(0, 3)} ${e164.slice(3, 6)} ${e164.slice(6)}`, tag: 'foreign_mobile_spaced' };
  return { text: `00${e164.slice(1)}`, tag: 'foreign_mobile_00' };
}

/** Garbage in a phone field: truncated, masked, a filler, or words. */
export function garbagePhone(rng: Rng): Noisy {
  return rng.weighted([
    [{ text: `09${rng.digits(2)}-${rng.digits(3)}-${rng.digits(2)}`, tag: 'phone_truncated' }, 4],
    [{ text: `09${rng.digits(2)}-***-${rng.digits(3)}`, tag: 'phone_masked' }, 2],
    [{ text: rng.pick(['0900000000', '0000000000', '0912345678']), tag: 'phone_placeholder' }, 2],
    [{ text: rng.pick(['無', '不詳', '-', 'N/A']), tag: 'phone_words' }, 2],
  ]);
}
