import { describe, expect, it } from 'vitest';
import { dayjs, formatInZone } from './datetime.ts';

/** What the app showed before: dayjs's timezone plugin, an unknown zone falling back to the browser's time. */
function withDayjsTz(iso: string, timeZone: string, withSeconds = false): string {
  const value = dayjs(iso);
  if (!value.isValid()) return iso;
  const format = withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm';
  try {
    return value.tz(timeZone).format(format);
  } catch {
    return value.format(format);
  }
}

const ZONES = ['Asia/Taipei', 'Asia/Tokyo', 'UTC', 'Europe/London', 'America/New_York', 'Australia/Adelaide', 'Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Chatham'];

describe('formatInZone', () => {
  it('gives the text dayjs tz gave, across zones, years and DST changes', () => {
    // Midnights, noon and the hours either side of DST changes, 1990–2040 (a fixed sequence, so a failure replays).
    const instants = ['2026-12-06T16:00:00.000Z', '2026-12-06T15:59:59.999Z', '2026-03-08T06:59:59Z', '2026-03-08T07:00:00Z', '2026-11-01T05:30:00Z', '2026-11-01T06:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T00:59:59Z', '1999-12-31T16:00:00Z', '2024-02-29T12:34:56.789Z'];
    for (let i = 0; i < 400; i += 1) instants.push(new Date(Date.UTC(1990, 0, 1) + ((i * 2654435761) % 1_577_836_800) * 1000 + (i % 1000)).toISOString());
    for (const timeZone of ZONES) {
      for (const iso of instants) {
        expect(formatInZone(iso, timeZone), `${iso} in ${timeZone}`).toBe(withDayjsTz(iso, timeZone));
        expect(formatInZone(iso, timeZone, true), `${iso} in ${timeZone}, seconds`).toBe(withDayjsTz(iso, timeZone, true));
      }
    }
  });

  it('shows Taipei time for the API timestamps the member list gets', () => {
    expect(formatInZone('2026-12-06T15:59:30.123Z', 'Asia/Taipei')).toBe('2026-12-06 23:59');
    expect(formatInZone('2026-12-06T16:00:00.000Z', 'Asia/Taipei', true)).toBe('2026-12-07 00:00:00');
    expect(formatInZone('2026-12-06T16:00:00+08:00', 'Asia/Taipei')).toBe('2026-12-06 16:00');
  });

  it('falls back as before on an unknown zone or an unreadable timestamp', () => {
    expect(formatInZone('2026-12-06T16:00:00Z', 'Mars/Olympus')).toBe(withDayjsTz('2026-12-06T16:00:00Z', 'Mars/Olympus'));
    expect(formatInZone('2026-12-06T16:00:00Z', 'Mars/Olympus')).toBe(dayjs('2026-12-06T16:00:00Z').format('YYYY-MM-DD HH:mm'));
    expect(formatInZone('not a date', 'Asia/Taipei')).toBe('not a date');
  });
});
