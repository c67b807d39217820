/**
 * The join date on the member card, in the page's language and on the hotel's calendar: a guest who joined at
 * 01:00 in Taipei joined on that day, whatever time zone the phone (or a tourist's home) is set to.
 */
export function joinedDate(iso: string, language: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const format = (zone: string | undefined) => new Intl.DateTimeFormat(language, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zone }).format(date);
  try {
    return format(timeZone);
  } catch {
    return format(undefined); // an unknown zone name: the phone's own calendar rather than no date
  }
}
