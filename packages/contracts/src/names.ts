/**
 * Characters that show nothing or only steer how others show: a name with one inside looks like another name without
 * it, a name of them alone looks empty, and a bidi override (U+202E) shows a name reversed (attack reviews). Unicode's
 * Default_Ignorable_Code_Point covers them all: zero-width spaces and joiners, the soft hyphen, LRM/RLM and the bidi
 * embeddings, overrides and isolates, the Hangul fillers, the combining grapheme joiner, variation selectors, tag
 * characters. Migration 0060 removes the same set from the names kept before.
 */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * A name as it is kept: invisible characters removed, composed (NFC: 「é」 typed as e + accent and as one character
 * are one name) and trimmed. Names that look alike are then the same string, so the uniqueness checks see them. The
 * admin app applies it too, to tell staff at the field that a name of spaces is no name.
 */
export function cleanName(name: string): string {
  return name.replace(INVISIBLE, '').normalize('NFC').trim();
}

/**
 * The cleaned name folded as the unique indexes on names fold it (rules' and tags', migration 0064): Unicode's
 * compatibility forms (NFKC: full-width 「Ｖｉｐ１」 is 「vip1」), then lower case one character at a time, as
 * PostgreSQL's lower() does: JavaScript's own lower case of a whole string makes a word's last 「Σ」 「ς」 and 「İ」 two
 * characters, where the database makes them 「σ」 and 「i」. Still only near what the database compares (its Unicode
 * version may be older than the browser's), so only for what a screen shows (the web's tag pickers finding 「VIP」 for
 * 「ｖｉｐ」); the server matches names by asking the database (tags' findTagByName, tagIdsByNames; rules'
 * firstFreeName), and a write is decided by the index itself.
 */
export function nameKey(name: string): string {
  return Array.from(cleanName(name).normalize('NFKC'), (c) => (c === '\u0130' ? 'i' : c.toLowerCase())).join('');
}

/**
 * A name's length as the server measures it against its limit: the cleaned name's characters (code points, as zod's
 * max and the database's length() count them: 「𠮷」 is one, though two UTF-16 units; attack review 2026-12-08). Typed
 * characters NFC splits count as they are kept: 60 × 「क़」 (U+0958) typed are 120 kept (क + ◌़), past a 100 limit.
 * The admin app's name fields count with it, so the counter and the error show while typing, not after a save.
 */
export function nameLength(name: string): number {
  return [...cleanName(name)].length;
}
