/**
 * An image URL the browser may show: https (LINE's own profile and bot pictures), data: or this site. Anything else
 * (plain http from elsewhere) would be refused by the content security policy and mixed-content rules, so it is left
 * out and a placeholder is shown instead of a broken image.
 */
export function displayableImageUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url, window.location.href);
    if (parsed.protocol === 'https:' || parsed.protocol === 'data:' || parsed.origin === window.location.origin) return parsed.href;
  } catch {
    // Not a URL at all.
  }
  return undefined;
}
