/** Whether a hotel-local HH:mm falls in the quiet hours, which may run past midnight (e.g. 22:00–08:00). */
export function inQuietHours(hhmm: string, quiet: { start: string; end: string } | null | undefined): boolean {
  if (!quiet) return false;
  return quiet.start <= quiet.end ? hhmm >= quiet.start && hhmm < quiet.end : hhmm >= quiet.start || hhmm < quiet.end;
}
