import type { Clock } from '@monitored/cloudwatch-local';

interface Sleeper {
  readonly time: number;
  resolve(): void;
}

/** A clock a test moves by hand: sleepers wake, in time order, when it reaches their time. */
export class ManualClock implements Clock {
  private sleepers: Sleeper[] = [];

  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  sleepUntil(time: number, signal?: AbortSignal): Promise<void> {
    if (time <= this.time) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const sleeper = { time, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((other) => other !== sleeper);
          reject(signal.reason as Error);
        },
        { once: true },
      );
    });
  }

  /** Moves to `time`, waking every sleeper due by then. */
  advanceTo(time: number): void {
    this.time = time;
    const due = this.sleepers.filter((sleeper) => sleeper.time <= time);
    this.sleepers = this.sleepers.filter((sleeper) => sleeper.time > time);
    for (const sleeper of due.sort((a, b) => a.time - b.time)) sleeper.resolve();
  }

  /** The earliest time someone waits for, if anyone does. */
  get nextWake(): number | undefined {
    return this.sleepers.length === 0 ? undefined : Math.min(...this.sleepers.map((s) => s.time));
  }
}
