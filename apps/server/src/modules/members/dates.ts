/**
 * Calendar dates as hotels write them, one rule for every way data arrives (the importer's cells, the PMS sync's
 * BIRTH_DAT): never a guess, refused with a `field.*` message key.
 */
export type ParsedDate = { ok: true; value: string } | { ok: false; code: 'field.import_date' | 'field.import_date_future' };

function halfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

const fail = (code: 'field.import_date' | 'field.import_date_future'): ParsedDate => ({ ok: false, code });

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

// Plain arithmetic, no Date: the PMS sync reads two dates of each of 300,000 stays.
function isoDate(year: number, month: number, day: number): string | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return undefined;
  return `${year}-${two(month)}-${two(day)}`;
}

/**
 * A calendar date, as yyyy-mm-dd. Accepted: 1990/03/15, 1990-3-15, 1990.03.15, 1990年3月15日, 19900315; 民國 years
 * (79/03/15, 079/03/15, 民國79年3月15日, 0790315); Excel serial day numbers (32947); a trailing time of day is ignored.
 * Day-first or month-first orders (15/03/1990, 03/15/1990) are refused: they cannot be told apart.
 */
export function parseDate(raw: string, options: { notAfter?: string } = {}): ParsedDate {
  const text = halfWidth(raw)
    .trim()
    .replace(/(?:\s+|T)(?:上午|下午|AM|PM)?\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:AM|PM|Z)?$/i, '');
  let date: string | undefined;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text))) {
    date = isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
  } else if ((match = /^(?:民國|民)?\s*(\d{1,3})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text))) {
    date = isoDate(Number(match[1]) + 1911, Number(match[2]), Number(match[3]));
  } else if ((match = /^(\d{4})(\d{2})(\d{2})$/.exec(text))) {
    date = isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
  } else if ((match = /^(?:民國)?(\d{3})(\d{2})(\d{2})$/.exec(text))) {
    date = isoDate(Number(match[1]) + 1911, Number(match[2]), Number(match[3]));
  } else if (/^\d{5}(?:\.\d+)?$/.test(text)) {
    date = new Date(EXCEL_EPOCH + Math.floor(Number(text)) * 86_400_000).toISOString().slice(0, 10);
  }
  if (!date) return fail('field.import_date');
  if (options.notAfter && date > options.notAfter) return fail('field.import_date_future');
  return { ok: true, value: date };
}

