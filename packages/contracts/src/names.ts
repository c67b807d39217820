/** Characters that show nothing: a name with one inside looks like another name without it (attack review). */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

/**
 * A name as it is kept: zero-width characters removed, composed (NFC: 「é」 typed as e + accent and as one character
 * are one name) and trimmed. Names that look alike are then the same string, so the uniqueness checks see them. The
 * admin app applies it too, to tell staff at the field that a name of spaces is no name.
 */
export function cleanName(name: string): string {
  return name.replace(INVISIBLE, '').normalize('NFC').trim();
}
