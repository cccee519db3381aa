/**
 * Canary schedules: the settings a stage gives each canary (stacks/config.ts holds the values),
 * and how long a schedule can leave between two runs. No cdktf imports: the policy rules, the
 * stack and the local system read it alike.
 *
 * Synthetics takes `rate(N minute|minutes|hour)` from 1 minute to 1 hour (`rate(0 minute)` runs
 * once) and six-field `cron(...)` for anything else:
 * https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_CanaryScheduleInput.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_cron.html
 */

export type RateExpression = `rate(${number} ${'minute' | 'minutes' | 'hour'})`;
export type CronExpression = `cron(${string})`;

export interface CanarySchedule {
  /** When it runs: a rate up to 1 hour, or a cron for longer intervals. */
  readonly expression: RateExpression | CronExpression;
  /** Attempts after a failed run (0–2); each is a run of its own, billed as one. */
  readonly maxRetries: 0 | 1 | 2;
  /** How long one run may take: 3–840 s, and within the interval between runs. */
  readonly timeoutSeconds: number;
  /** The run's Lambda memory: a multiple of 64, 960 to 3008. */
  readonly memoryMb: number;
}

/** The longest time between two runs, or why it cannot be told. */
export type Interval =
  | { readonly kind: 'every'; readonly seconds: number }
  | { readonly kind: 'once' }
  | { readonly kind: 'invalid'; readonly reason: string };

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function rateInterval(value: number, unit: string, expression: string): Interval {
  if (value === 0) return { kind: 'once' };
  const seconds = value * (unit === 'hour' ? HOUR : MINUTE);
  if (seconds > HOUR)
    return {
      kind: 'invalid',
      reason: `${expression}: a rate runs from every minute to every hour; use cron(...) for longer intervals`,
    };
  return { kind: 'every', seconds };
}

/** The values a cron field selects, out of `first..last`; undefined for syntax it does not bound. */
function cronValues(field: string, first: number, last: number): number[] | undefined {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (match === null) return undefined;
    const [, start, end, step] = match;
    const from = start === '*' ? first : Number(start);
    const to = end !== undefined ? Number(end) : start === '*' || step !== undefined ? last : from;
    const by = step === undefined ? 1 : Number(step);
    if (from < first || to > last || from > to || by < 1) return undefined;
    for (let value = from; value <= to; value += by) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * A cron that runs on every day at the same times (minutes and hours with `*`, lists, ranges and
 * steps; any day, any month): its longest gap, across midnight too. Crons tied to particular days
 * are not bounded here.
 */
function cronInterval(body: string, expression: string): Interval {
  if (body.trim().split(/\s+/).length !== 6)
    return { kind: 'invalid', reason: `${expression}: a canary cron has 6 fields` };
  const daily = dailyTimes(body);
  if (daily === undefined)
    return {
      kind: 'invalid',
      reason: `${expression}: cannot tell the longest time between its runs (only crons that run every day at the same times are bounded)`,
    };
  const { minutes: minuteValues, hours: hourValues } = daily;
  const times = hourValues.flatMap((hour) =>
    minuteValues.map((minute) => hour * HOUR + minute * MINUTE),
  );
  const gaps = times.map((time, index) =>
    index + 1 < times.length ? times[index + 1] - time : times[0] + DAY - time,
  );
  return { kind: 'every', seconds: Math.max(...gaps) };
}

/**
 * A cron that runs every day at the same times, as its minutes and hours; undefined for any other
 * (crons tied to particular days, or fields it cannot read).
 */
function dailyTimes(body: string): { minutes: number[]; hours: number[] } | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) return undefined;
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields;
  const everyDay =
    ['*', '?'].includes(dayOfMonth) &&
    month === '*' &&
    ['*', '?'].includes(dayOfWeek) &&
    year === '*' &&
    (dayOfMonth === '?') !== (dayOfWeek === '?');
  const minuteValues = cronValues(minutes, 0, 59);
  const hourValues = cronValues(hours, 0, 23);
  if (!everyDay || minuteValues === undefined || hourValues === undefined) return undefined;
  return { minutes: minuteValues, hours: hourValues };
}

/**
 * When a canary on this schedule next runs after `after` (ms since the epoch), given when it was
 * started; undefined when it runs no more ("rate(0 minute) ... causes the canary to run only once
 * when it is started", CanaryScheduleInput). A rate counts its intervals from the start; a cron
 * runs at its times of day, read in UTC, whenever it was started. Only the schedules
 * scheduleInterval bounds: anything else is an error naming the expression.
 */
export function nextRun(expression: string, startedAt: number, after: number): number | undefined {
  const interval = scheduleInterval(expression);
  if (interval.kind === 'invalid') throw new Error(interval.reason);
  if (interval.kind === 'once') return startedAt > after ? startedAt : undefined;
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron === null) {
    const every = interval.seconds * 1000;
    if (after < startedAt) return startedAt;
    return startedAt + (Math.floor((after - startedAt) / every) + 1) * every;
  }
  const times = dailyTimes(cron[1]);
  if (times === undefined) throw new Error(`${expression}: not a cron that runs every day`);
  const dayMs = DAY * 1000;
  const day = Math.floor(after / dayMs) * dayMs;
  // Today's times after `after`, else tomorrow's first.
  for (const dayStart of [day, day + dayMs]) {
    for (const hour of times.hours) {
      for (const minute of times.minutes) {
        const at = dayStart + (hour * HOUR + minute * MINUTE) * 1000;
        if (at > after) return at;
      }
    }
  }
  return undefined;
}

/** The longest time a schedule expression leaves between two runs. */
export function scheduleInterval(expression: string): Interval {
  const rate = /^rate\((\d+) (minute|minutes|hour)\)$/.exec(expression);
  if (rate !== null) return rateInterval(Number(rate[1]), rate[2], expression);
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron !== null) return cronInterval(cron[1], expression);
  return {
    kind: 'invalid',
    reason: `${expression}: not rate(N minute|minutes|hour) nor cron(...)`,
  };
}

/**
 * The longest a started canary takes to publish a run: until its next scheduled time (one whole
 * interval at most), then the run and its retries, each at its timeout (a retry taken to start at
 * once). Also the longest before a new canary's first run has published: a cron first runs at its
 * next time, and AWS does not say when a rate's first run comes (the console shows it at once),
 * so it is given the same interval. Only for schedules that repeat.
 */
export function runsWithinSeconds(
  schedule: Pick<CanarySchedule, 'timeoutSeconds'> & {
    readonly expression: string;
    readonly maxRetries: number;
  },
): number {
  const interval = scheduleInterval(schedule.expression);
  if (interval.kind === 'invalid') throw new Error(interval.reason);
  if (interval.kind === 'once')
    throw new Error(`${schedule.expression}: runs once, so there is no next run to wait for`);
  return interval.seconds + (1 + schedule.maxRetries) * schedule.timeoutSeconds;
}

/**
 * How many times a day a schedule runs (the cost model counts runs with it); undefined for a
 * schedule that runs once or cannot be told.
 */
export function scheduleRunsPerDay(expression: string): number | undefined {
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron !== null) {
    const times = dailyTimes(cron[1]);
    return times === undefined ? undefined : times.minutes.length * times.hours.length;
  }
  const interval = scheduleInterval(expression);
  return interval.kind === 'every' ? DAY / interval.seconds : undefined;
}
