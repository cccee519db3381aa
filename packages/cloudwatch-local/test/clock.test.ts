/**
 * The simulated clock's waits at the ends of the scale's range. Node's timers hold at most
 * 2^31-1 ms (about 24.8 days); a longer delay fires after 1 ms with a TimeoutOverflowWarning
 * (https://nodejs.org/api/timers.html#settimeoutcallback-delay-args). Jest's fake timers keep
 * that rule (a delay above the limit becomes 1 ms), so the waits are followed on them.
 */
import { MAX_TIMER_MS, SimulatedClock } from '../src/clock';

const MINUTE = 60_000;

describe('SimulatedClock.sleepUntil', () => {
  let armed: number[];

  beforeEach(() => {
    jest.useFakeTimers();
    armed = [];
    const fakeSetTimeout = global.setTimeout;
    jest.spyOn(global, 'setTimeout').mockImplementation(((callback: () => void, ms?: number) => {
      armed.push(ms ?? 0);
      return fakeSetTimeout(callback, ms);
    }) as typeof setTimeout);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it.each([0.01, 0.0001])(
    "at %p simulated seconds a second, waits for dev's website run (every 12 hours) with timers Node can hold, not one a millisecond",
    async (scale) => {
      const clock = new SimulatedClock(scale);
      const due = clock.now() + 12 * 60 * MINUTE;
      const realWaitMs = (12 * 60 * MINUTE) / scale;
      let woke = false;
      const sleeping = clock.sleepUntil(due).then(() => (woke = true));

      await jest.advanceTimersByTimeAsync(1_000);
      // Checked before going on: a wait that re-arms every millisecond would take minutes here.
      expect(armed).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(realWaitMs - 1_000 - 1);
      const wokeEarly = woke;
      await jest.advanceTimersByTimeAsync(2);
      await sleeping;

      expect(armed.every((ms) => ms <= MAX_TIMER_MS)).toBe(true);
      expect(wokeEarly).toBe(false);
      expect(woke).toBe(true);
      expect(clock.now()).toBeGreaterThanOrEqual(due);
    },
  );

  it('wakes at once for a time that has passed', async () => {
    const clock = new SimulatedClock(60);

    await clock.sleepUntil(clock.now() - MINUTE);

    expect(armed).toEqual([]);
  });

  it('rejects with the reason when aborted during a wait longer than a timer can hold', async () => {
    const clock = new SimulatedClock(0.0001);
    const stop = new AbortController();
    const sleeping = clock.sleepUntil(clock.now() + 6 * MINUTE, stop.signal);

    await jest.advanceTimersByTimeAsync(MAX_TIMER_MS + 5);
    stop.abort(new Error('stopping'));

    await expect(sleeping).rejects.toThrow('stopping');
  });
});
