/**
 * The fields of `input` that `member` does not have yet. A guest's own entry never overwrites what staff or the PMS
 * recorded; consent is the exception, because only the guest can give or withdraw it.
 */
export function onlyBlankFields<T extends Record<string, unknown>>(member: Record<string, unknown>, input: T): Partial<T> {
  const always = new Set(['marketingOptIn', 'optInSource']);
  return Object.fromEntries(
    Object.entries(input).filter(([key, value]) => {
      if (value === undefined) return false;
      if (always.has(key)) return true;
      if (key === 'identity') return member.idNumberHash === null;
      const current = member[key];
      return current === null || current === undefined || current === '';
    }),
  ) as Partial<T>;
}
