import type { AlarmState } from '../../stacks/monitoring/alarm-rule';

/** Child states for a composite's rule, by name; a child not in `map` is an error of the test. */
export function states(map: Record<string, AlarmState>): (alarm: string) => AlarmState {
  return (alarm) => {
    const state = map[alarm];
    if (state === undefined) throw new Error(`no state for ${alarm}`);
    return state;
  };
}
