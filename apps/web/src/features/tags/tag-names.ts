import { nameKey } from '@innkeeper/contracts';

/**
 * Whether a tag answers what staff typed in a tag picker: the name as the server compares it (nameKey: cleaned, folded
 * by width and case), so 「vip」 finds 「VIP」 and 「Ｖｉｐ」, and 「商務客 」 (a space typed after) finds 「商務客」.
 * Also the filter of the pickers that search by name, so what they show and what they may make agree.
 */
export function tagNameMatches(typed: string, name: string): boolean {
  return nameKey(name).includes(nameKey(typed));
}

/** The tag already called what staff typed, in any spelling the unique index treats as the same (「VIP」 for 「ｖｉｐ」). */
export function tagNamed<T extends { name: string }>(tags: readonly T[], typed: string): T | undefined {
  const key = nameKey(typed);
  return key === '' ? undefined : tags.find((tag) => nameKey(tag.name) === key);
}

/** A tag picker's filter (antd Select `filterOption`) for options labelled with the tag's name: tagNameMatches. */
export function filterTagOption(typed: string, option?: { label?: unknown }): boolean {
  return tagNameMatches(typed, String(option?.label ?? ''));
}
