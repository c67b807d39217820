import { z } from 'zod';
import { cleanName } from '../names.ts';

/**
 * Field schemas several contracts use. PostgreSQL refuses what JavaScript accepts (year 0000, year 275760): such input
 * must be refused at the edge with a field message, not reach the database and come back as a 500.
 */

/** Years a person's or a stay's date can fall in (birthdays, stays, segment windows). */
const CALENDAR_YEARS = { min: 1900, max: 2200 } as const;

function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** A calendar date (YYYY-MM-DD) in 1900–2200. */
export const ZCalendarDate = z.iso.date().refine((date) => yearOf(date) >= CALENDAR_YEARS.min && yearOf(date) <= CALENDAR_YEARS.max, { error: 'field.date_out_of_range' });

/** A point in time used to filter lists (`from=`, `to=`, `before=`): any date or timestamp in 1900–2200. */
export const ZFilterTime = z.coerce.date().refine((time) => time.getUTCFullYear() >= CALENDAR_YEARS.min && time.getUTCFullYear() <= CALENDAR_YEARS.max, { error: 'field.date_out_of_range' });

/**
 * The version an editor or approver started from (a row's optimistic-lock counter, a PostgreSQL integer): a larger
 * number can never match and, compared in SQL, failed as out of range with a 500 (found by the attack review).
 */
export const ZRowVersion = z.number().int().min(1).max(2_147_483_647);

/**
 * A name staff type (a rule's, a campaign's, a tag's): cleaned, then 1 to `max` characters as nameLength counts them
 * (the refusal says so: a name of 60 typed characters NFC makes 120 must not read as a mistake of the counter).
 */
export function ZCleanName(max: 50 | 100) {
  return z.string().overwrite(cleanName).min(1, { error: 'field.required' }).max(max, { error: `field.name_max_${max}` });
}
