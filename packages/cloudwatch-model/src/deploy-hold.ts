/**
 * How a deploy holds its stage's "deploy in progress" alarm in ALARM, and how the hold ends: the
 * data `npm run deploy-alarm -- <stage> set|clear` sends, for the alarm thresholds.ts defines
 * (the Sum of `DeployInProgress` in the stage's namespace, `msgs-<stage>`, per minute, in ALARM
 * when 1 minute of the last DEPLOY_HOLD_SECONDS' worth is at 1 or more, no data not breaching).
 * No cdktf imports: the script, the stack and the local loop read it alike.
 *
 * Why data, and not SetAlarmState as before: a state set by hand does not hold ("Metric alarms
 * returns to their actual state quickly, often within seconds", SetAlarmState in the CloudWatch
 * API reference), and on a stage's first deploy the alarm does not exist yet when the hold is
 * taken. A datapoint can be sent before its alarm exists (PutMetricData creates the metric), and
 * an alarm the deploy creates later evaluates it like any other.
 *
 * - Hold (`set`): +1 stamped at the current whole minute. The alarm is in ALARM from its next
 *   evaluation, or its first once the deploy creates it, while that minute is in its range.
 * - Release (`clear`): the opposite of each minute's Sum that is not 0, stamped at that minute
 *   (read with GetMetricStatistics, 60-second periods, which stamps each period with its start).
 *   Each hold and its release then share a minute, whose Sum is 0: the alarm is OK at its next
 *   evaluation, and a later hold counts alone. One release ends every hold it reads, a dead
 *   runner's too. It also sends a 0 at the current whole minute, whatever it read: no Sum changes,
 *   but the minute has a sample, and the "deployed recently" alarm (the SampleCount of the same
 *   metric, thresholds.ts) counts its hours from the end of the deploy, not from its hold, which
 *   may be half an hour earlier (CloudFront) or have ended by itself.
 * - Expiry: a hold nobody releases leaves the alarm's evaluation range DEPLOY_HOLD_SECONDS and a
 *   few minutes after it was taken (AWS reads "a number of data points that is greater than
 *   Evaluation Periods", 5 for 3 in its example; the local engine reads N + 2), and the alarm
 *   returns to OK by itself: a runner that died mid-deploy mutes paging for about 2 hours.
 * - A hold first repairs the minutes whose Sum is below 0 (two releases that did not see each
 *   other), which would otherwise cancel it.
 *
 * PutMetricData takes time stamps "as much as two weeks before the current date, and as much as 2
 * hours after the current day and time"; these are all within the last 4 hours
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html).
 *
 * What AWS does not say, and what this assumes: how soon a datapoint can be read back with
 * GetMetricStatistics (its page only says that data stamped 3 hours ago or more can take hours).
 * A release within a minute or so of its hold may not see it; that hold then ends on its own.
 */

/**
 * The longest a hold lasts without a release: twice the pipeline's 60-minute deploy job, so that
 * a deploy by hand (CloudFront can take half an hour to create) is held too. `set` again extends
 * a hold by as much.
 */
export const DEPLOY_HOLD_SECONDS = 2 * 60 * 60;

const MINUTE_MS = 60_000;

/** One minute's Sum, as GetMetricStatistics returns it with a 60-second period. */
export interface MinuteSum {
  /** The start of the minute, ms since the epoch. */
  readonly timestamp: number;
  readonly sum: number;
}

/** One value to send, stamped at a whole minute. */
export interface HoldDatapoint {
  readonly timestamp: number;
  readonly value: number;
}

/** The start of the minute `time` falls in. */
export function wholeMinute(time: number): number {
  return Math.floor(time / MINUTE_MS) * MINUTE_MS;
}

/**
 * The minutes to read before a hold or a release, start inclusive and end exclusive (as
 * GetMetricStatistics takes them): twice the alarm's evaluation periods, so every minute its
 * evaluation range can still read whatever its length beyond them (240 datapoints, within the
 * 1,440 one GetMetricStatistics call returns).
 */
export function holdLookback(now: number): { readonly start: number; readonly end: number } {
  const minute = wholeMinute(now);
  return { start: minute - 2 * DEPLOY_HOLD_SECONDS * 1000, end: minute + MINUTE_MS };
}

/** When a hold taken at `now` has left the alarm's evaluation periods (its range, minutes later). */
export function holdExpiresAt(now: number): number {
  return wholeMinute(now) + DEPLOY_HOLD_SECONDS * 1000;
}

/** What a hold sends, given the minutes' Sums read over holdLookback(now). */
export function holdDatapoints(sums: readonly MinuteSum[], now: number): HoldDatapoint[] {
  return [
    ...merged(sums)
      .filter(({ sum }) => sum < 0)
      .map(({ timestamp, sum }) => ({ timestamp, value: -sum })),
    { timestamp: wholeMinute(now), value: 1 },
  ];
}

/**
 * What a release at `now` sends, given the minutes' Sums read over holdLookback(now): the opposite
 * of each minute held (or over-released), then the end-of-deploy 0 at the current minute.
 */
export function releaseDatapoints(sums: readonly MinuteSum[], now: number): HoldDatapoint[] {
  return [
    ...merged(sums)
      .filter(({ sum }) => sum !== 0)
      .map(({ timestamp, sum }) => ({ timestamp, value: -sum })),
    { timestamp: wholeMinute(now), value: 0 },
  ];
}

/** Holds under way in the minutes read: the minutes whose Sum is above 0. */
export function heldMinutes(sums: readonly MinuteSum[]): number[] {
  return merged(sums)
    .filter(({ sum }) => sum > 0)
    .map(({ timestamp }) => timestamp);
}

/**
 * One Sum per whole minute, oldest first. A period GetMetricStatistics returns is a whole minute
 * already; anything else is refused rather than cancelled at a time that would not pair with it.
 */
function merged(sums: readonly MinuteSum[]): MinuteSum[] {
  const byMinute = new Map<number, number>();
  for (const { timestamp, sum } of sums) {
    if (
      !Number.isFinite(timestamp) ||
      wholeMinute(timestamp) !== timestamp ||
      !Number.isFinite(sum)
    )
      throw new RangeError(
        `a deploy alarm datapoint must be a finite Sum at a whole minute, got ${sum} at ${timestamp}`,
      );
    byMinute.set(timestamp, (byMinute.get(timestamp) ?? 0) + sum);
  }
  return [...byMinute].sort(([a], [b]) => a - b).map(([timestamp, sum]) => ({ timestamp, sum }));
}
