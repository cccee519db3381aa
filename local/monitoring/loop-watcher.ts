/**
 * Waiting, with a bound, on what a monitoring loop reports (its runs, alarm changes, emails): the
 * drill's steps, and the tests'. A wait ends on the event, or fails at its bound naming what it
 * waited for and listing what the loop did report.
 */
import type { AlarmEvent, ScheduledRun, SentEmail } from '@monitored/cloudwatch-local';
import type { LoopEvent } from './monitoring-loop';

export class LoopWatcher {
  readonly all: LoopEvent[] = [];
  private readonly waiters = new Set<() => void>();

  /** Pass to the loop's onMonitorEvent / onEvent. */
  readonly listener = (event: LoopEvent): void => {
    this.all.push(event);
    for (const wake of [...this.waiters]) wake();
  };

  /** How many events so far: a mark to wait for later ones from. */
  get mark(): number {
    return this.all.length;
  }

  /**
   * The first event from `from` on that `match` picks; waits for it at most `withinMs`, then
   * fails naming `what` and listing what did happen.
   */
  waitFor<T>(
    what: string,
    match: (event: LoopEvent) => T | undefined,
    options: { readonly from?: number; readonly withinMs: number },
  ): Promise<T> {
    const from = options.from ?? 0;
    const find = () => {
      for (const event of this.all.slice(from)) {
        const found = match(event);
        if (found !== undefined) return found;
      }
      return undefined;
    };
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `no ${what} within ${options.withinMs / 1000} s; the loop reported:\n${this.all
              .slice(from)
              .map(summary)
              .join('\n')}`,
          ),
        );
      }, options.withinMs);
      this.waiters.add(check);
      check();
    });
  }

  /** The state change of `alarm` to `state`. */
  stateChange(alarm: string, state: string) {
    return (event: LoopEvent) =>
      event.type === 'alarm' &&
      event.event.type === 'StateChange' &&
      event.event.change.alarmName === alarm &&
      event.event.change.newState === state
        ? (event.event as Extract<AlarmEvent, { type: 'StateChange' }>)
        : undefined;
  }

  /** The email about `alarm` entering `state`. */
  email(alarm: string, state: string) {
    return (event: LoopEvent): SentEmail | undefined =>
      event.type === 'email' && event.email.alarmName === alarm && event.email.state === state
        ? event.email
        : undefined;
  }

  /** A finished scheduled run of `canary`. */
  run(canary: string, passed?: boolean) {
    return (event: LoopEvent): ScheduledRun | undefined =>
      event.type === 'canaryRun' &&
      event.run.canaryName === canary &&
      (passed === undefined || event.run.passed === passed)
        ? event.run
        : undefined;
  }
}

function summary(event: LoopEvent): string {
  switch (event.type) {
    case 'alarm':
      return `alarm ${event.event.change.alarmName} ${event.event.type === 'StateChange' ? `${event.event.change.oldState} -> ${event.event.change.newState}` : 'actions released'}`;
    case 'email':
      return `email ${event.email.subject}`;
    case 'canaryRun':
      return `run ${event.run.canaryName} ${event.run.passed ? 'passed' : 'failed'}`;
    case 'notice':
      return `notice ${event.message}`;
    case 'scheduleLag':
      return `schedule ${event.lag.canary.name} ${event.lag.behind ? 'behind' : 'caught up'}`;
  }
}
