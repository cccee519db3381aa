/** How the runtime rules judge a deprecation date against the day of the synth. */
import type { RuntimeOverride } from './types';

/** Synth warns this many days before a runtime's deprecation date, and fails from that date. */
export const DEPRECATION_WARNING_DAYS = 90;

/** The way past a refusal when the app names none: the checker's own option. */
const OPTION: RuntimeOverride = {
  name: 'acceptDeprecatedRuntimes',
  example: (runtime) => `checkStack(json, { acceptDeprecatedRuntimes: ['${runtime}'] })`,
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `today` to `day` (`YYYY-MM-DD`, midnight UTC): 0 or less once it has come. */
export function daysUntil(day: string, today: Date): number {
  return Math.ceil((Date.parse(`${day}T00:00:00Z`) - today.getTime()) / DAY_MS);
}

/** `since <day>` once the day has come, `from <day>` before it. */
export function fromOrSince(day: string, today: Date): string {
  return daysUntil(day, today) <= 0 ? `since ${day}` : `from ${day}`;
}

/** The warning for a runtime inside the window before its date; undefined outside it. */
export function deprecationWarning(runtime: string, day: string, today: Date): string | undefined {
  const daysLeft = daysUntil(day, today);
  if (daysLeft <= 0 || daysLeft > DEPRECATION_WARNING_DAYS) return undefined;
  const days = daysLeft === 1 ? '1 day' : `${daysLeft} days`;
  return `runtime ${runtime} is deprecated on ${day}, in ${days}; synth fails from that day`;
}

/** A runtime whose deprecation date has come, and what AWS still does with what runs on it. */
export interface PastDeprecation {
  readonly runtime: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** What AWS still allows on the runtime after its date (the service's own terms, with the page). */
  readonly stillAllowed: string;
}

/**
 * Why synth refuses a runtime past its date, with the way past the refusal: a destroy and an urgent
 * fix must still be able to synth, and AWS still allows them for a while (`stillAllowed`).
 */
export function pastDeprecationRefusal(
  { runtime, date, stillAllowed }: PastDeprecation,
  { name, example }: RuntimeOverride = OPTION,
): string {
  return (
    `runtime ${runtime} was deprecated on ${date}: ${stillAllowed}. ` +
    `Move to a newer runtime; to synth anyway (a destroy, an urgent fix), set ` +
    `${name}=${runtime}, e.g. \`${example(runtime)}\``
  );
}

/** The warning that replaces the refusal when the runtime is accepted past its date. */
export function acceptedPastDeprecation(
  { runtime, date, stillAllowed }: PastDeprecation,
  { name }: RuntimeOverride = OPTION,
): string {
  return `runtime ${runtime} was deprecated on ${date}, accepted by ${name}: ${stillAllowed}`;
}

/** Whether the rules were told to accept `runtime` past its date. */
export function isAccepted(runtime: string, accepted: readonly string[] | undefined): boolean {
  return accepted?.includes(runtime) ?? false;
}
