/**
 * Masks an email address for display (a guest's in the member screens, a staff account's in the sign-in hint): the
 * first character of the local part, then always `***` (so the length is not revealed), then `@` and the domain in
 * full (`hotel.guest@hotel.example` → `h***@hotel.example`). A one-character local part is masked entirely
 * (`***@hotel.example`); text without `@` becomes `***`.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return '***';
  const local = Array.from(email.slice(0, at));
  return `${local.length > 1 ? local[0] : ''}***${email.slice(at)}`;
}
