// Which Date headers to believe, for ordering mail in time (training's newest holdout, the drift monitor).

/** Earliest plausible message date: anything before is a broken or forged Date header. */
export const EARLIEST_MAIL = Date.UTC(1990, 0, 1);
/** Clock skew allowed past the moment a message was stored. */
export const DATE_SKEW_MS = 2 * 24 * 3600 * 1000;

/** A Date header's time when it is plausible (after 1990, not after the message was stored), else null. */
export function plausibleDate(date: number | null, importedAt: number): number | null {
  return date !== null && date >= EARLIEST_MAIL && date <= importedAt + DATE_SKEW_MS ? date : null;
}
