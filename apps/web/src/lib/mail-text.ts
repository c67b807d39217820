export type MailPart = { kind: 'text' | 'link' | 'code'; value: string };

// Links, then stand-alone 6-digit sign-in codes: the two things a demo user has to find in a mail.
const TOKEN = /(https?:\/\/[^\s<>"']+)|(?<![\d])(\d{6})(?![\d])/g;

/** Splits a plain-text mail body into text, links and codes, so links render as anchors and codes stand out. */
export function splitMailText(text: string): MailPart[] {
  const parts: MailPart[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const index = match.index;
    if (index > last) parts.push({ kind: 'text', value: text.slice(last, index) });
    const [whole, link] = match;
    parts.push({ kind: link ? 'link' : 'code', value: whole });
    last = index + whole.length;
  }
  if (last < text.length) parts.push({ kind: 'text', value: text.slice(last) });
  return parts;
}

/** Only http(s) links become anchors; anything else stays text. */
export function isSafeLink(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
