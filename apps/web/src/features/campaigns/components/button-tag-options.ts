import { cleanName } from '@innkeeper/contracts';

/** A tag as a button's picker knows it. */
export type ButtonTag = { id: string; name: string };

/** An option of the picker: a tag, or the one that makes a new tag of the name typed. */
export type ButtonTagOption = { value: string; label: string };

/** The value of the option that makes a new tag of the typed name (no tag id looks like it). */
export const NEW_TAG = '\u0000new:';

/** The name of the tag the option `value` makes, or undefined when it is a tag already. */
export function newTagName(value: string): string | undefined {
  return value.startsWith(NEW_TAG) ? value.slice(NEW_TAG.length) : undefined;
}

/**
 * The name a new tag would take from what was typed in a button's picker (cleaned, as the server keeps names), when
 * staff may make tags and no tag has that name in any spelling the server treats as the same (`taken`: the tags
 * feature's tagNamed, which also finds a basic tag typed, explained instead); undefined when there is nothing to make.
 */
export function creatableName(typed: string, { mayCreate, taken }: { mayCreate: boolean; taken: boolean }): string | undefined {
  const name = cleanName(typed);
  return mayCreate && name !== '' && name.length <= 50 && !taken ? name : undefined;
}

/**
 * The picker's options: the activity tags, then a basic tag the button already gives (saved before the rule; shown by
 * name to be removed). Built once per change of the tags or the value, not per render: the option list handed to the
 * select is then the same between renders of the builder (an estimate answering, the preview).
 */
export function buttonTagOptions(options: readonly ButtonTag[], basic: readonly ButtonTag[], value: readonly string[]): ButtonTagOption[] {
  return [...options, ...basic.filter((tag) => value.includes(tag.id))].map((tag) => ({ value: tag.id, label: tag.name }));
}
