/**
 * The monitoring loop's time. A simulated clock runs `scale` simulated seconds per real second
 * from the moment it is made, starting at the real time: canary schedules, metric timestamps, log
 * @timestamps and alarm evaluations follow it, while durations (a request's latency, a run's
 * length) are measured in real time and stay real.
 */

/** What the loop's parts read the time from and wait on. */
export interface Clock {
  /** The simulated now, ms since the epoch. */
  now(): number;
  /**
   * Resolves once the simulated time is at least `time`, or rejects with the signal's reason when
   * it is aborted first.
   */
  sleepUntil(time: number, signal?: AbortSignal): Promise<void>;
}

/** The largest scale accepted: an hour of simulated time per real second. */
export const MAX_TIME_SCALE = 3600;

/** The scales a command line takes (`--time-scale`): the clock's own range. */
export const TIME_SCALE_OPTION = {
  above: 0,
  atMost: MAX_TIME_SCALE,
  unit: 'simulated seconds per real second',
} as const;

/**
 * The longest delay a Node timer holds: 2^31-1 ms, about 24.8 days. A longer one fires after 1 ms
 * with a TimeoutOverflowWarning (https://nodejs.org/api/timers.html#settimeoutcallback-delay-args),
 * which at a small scale (a 6-minute interval at 0.0001 is 42 real days) would re-arm every
 * millisecond.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export class SimulatedClock implements Clock {
  private readonly startReal = performance.now();
  private readonly startRealEpoch = Date.now();

  /** @param scale simulated seconds per real second (1 is real time) */
  constructor(readonly scale: number) {
    if (!(scale > TIME_SCALE_OPTION.above && scale <= TIME_SCALE_OPTION.atMost)) {
      throw new RangeError(
        `the time scale must be ${TIME_SCALE_OPTION.unit}, above ${TIME_SCALE_OPTION.above} and at most ${TIME_SCALE_OPTION.atMost}, got ${scale}`,
      );
    }
  }

  now(): number {
    return this.startRealEpoch + (performance.now() - this.startReal) * this.scale;
  }

  /** The simulated time of a real moment (ms since the epoch, as Date.now() gives it). */
  fromReal(realEpochMs: number): number {
    return this.startRealEpoch + (realEpochMs - this.startRealEpoch) * this.scale;
  }

  /** Real milliseconds until the simulated `time`; 0 when it has passed. */
  realDelayUntil(time: number): number {
    return Math.max(0, (time - this.now()) / this.scale);
  }

  async sleepUntil(time: number, signal?: AbortSignal): Promise<void> {
    // A timer may fire a little early, and a wait longer than a timer holds is taken in steps of
    // the longest it holds: each time, wait again for what is left.
    while (this.now() < time) {
      signal?.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal?.reason as Error);
        };
        const timer = setTimeout(
          () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
          Math.min(MAX_TIMER_MS, Math.ceil(this.realDelayUntil(time))),
        );
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    signal?.throwIfAborted();
  }
}

/** A simulated minute boundary: the first whole minute strictly after `time`. */
export function nextMinute(time: number): number {
  return (Math.floor(time / 60_000) + 1) * 60_000;
}
