// A message's date for the chronological split: its own Date: header, parsed
// leniently; if that is missing or absurd, the date of its newest Received:
// header (the one the receiving server added); if that fails too, null.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -5,
  edt: -4,
  cst: -6,
  cdt: -5,
  mst: -7,
  mdt: -6,
  pst: -8,
  pdt: -7,
};

/** Dates outside [SANE_FROM, SANE_UNTIL) are absurd for this corpus (collected 2002, published early 2003). */
export const SANE_FROM = Date.UTC(1990, 0, 1);
export const SANE_UNTIL = Date.UTC(2003, 0, 1);

/** The header block, unfolded, as "name: value" lines. */
function headerLines(bytes: Buffer): string[] {
  const text = bytes
    .subarray(0, 64 * 1024)
    .toString('latin1')
    .replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  return (end < 0 ? text : text.slice(0, end)).replace(/\n[ \t]+/g, ' ').split('\n');
}

/**
 * An RFC 2822-ish date: "[Day,] DD Mon YYYY HH:MM[:SS] [zone]", tolerating the
 * broken forms seen in the corpus: years written as 102 or 0102 (tm_year, years
 * since 1900), two-digit years, missing zones (read as UTC), named zones.
 */
export function parseDate(value: string): number | null {
  const m = /(\d{1,2})[\s-]+([a-z]{3})[a-z]*[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[a-z]{1,4})?/i.exec(value);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!.toLowerCase());
  if (month < 0) return null;
  let year = Number(m[3]);
  if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900;
  else if (year < 1000) year += 1900; // "102" or "0102": tm_year printed as is
  let offsetMinutes = 0;
  const zone = m[7];
  if (zone && /^[+-]\d{4}$/.test(zone)) {
    const sign = zone[0] === '-' ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  } else if (zone && ZONES[zone.toLowerCase()] !== undefined) offsetMinutes = ZONES[zone.toLowerCase()]! * 60;
  const utc = Date.UTC(year, month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) - offsetMinutes * 60_000;
  return Number.isFinite(utc) ? utc : null;
}

const sane = (t: number | null): t is number => t !== null && t >= SANE_FROM && t < SANE_UNTIL;

export type DateSource = 'date' | 'received' | 'none';

export function messageDate(bytes: Buffer): { time: number | null; source: DateSource } {
  const lines = headerLines(bytes);
  const date = lines.find((l) => /^date:/i.test(l));
  const fromDate = date ? parseDate(date.slice(5)) : null;
  if (sane(fromDate)) return { time: fromDate, source: 'date' };
  const received = lines.find((l) => /^received:/i.test(l));
  const semicolon = received?.lastIndexOf(';') ?? -1;
  const fromReceived = received && semicolon >= 0 ? parseDate(received.slice(semicolon + 1)) : null;
  if (sane(fromReceived)) return { time: fromReceived, source: 'received' };
  return { time: null, source: 'none' };
}
