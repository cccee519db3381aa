/** How the runtime rules judge a deprecation date against the day of the synth. */

/** Synth warns this many days before a runtime's deprecation date, and fails from that date. */
export const DEPRECATION_WARNING_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `today` to `day` (`YYYY-MM-DD`, midnight UTC): 0 or less once it has come. */
export function daysUntil(day: string, today: Date): number {
  return Math.ceil((Date.parse(`${day}T00:00:00Z`) - today.getTime()) / DAY_MS);
}

/** The warning for a runtime inside the window before its date; undefined outside it. */
export function deprecationWarning(runtime: string, day: string, today: Date): string | undefined {
  const daysLeft = daysUntil(day, today);
  if (daysLeft <= 0 || daysLeft > DEPRECATION_WARNING_DAYS) return undefined;
  const days = daysLeft === 1 ? '1 day' : `${daysLeft} days`;
  return `runtime ${runtime} is deprecated on ${day}, in ${days}; synth fails from that day`;
}
