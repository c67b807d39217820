/** `national_id:A12*****89` (how the server keeps a submitted document, masked) → its type and masked number. */
export function splitIdentity(value: string | boolean | null | undefined): { type: string; masked: string } | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const at = value.indexOf(':');
  return at < 0 ? { type: '', masked: value } : { type: value.slice(0, at), masked: value.slice(at + 1) };
}
