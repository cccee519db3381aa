/**
 * What a stage looks like in the fake account after a rehearsal: its state and lock objects in
 * the state bucket, its deploy alarm, and the states the deploy alarm calls asked for. The
 * names come from the stacks' own helpers.
 */
import { stageConfigs, type Stage } from '../../../stacks/config';
import { deployAlarmName } from '../../../stacks/monitoring/names';
import { lockKey, stateKey } from '../../../stacks/state/state-backend';
import type { LockInfo, TerraformState } from './fakes/terraform';
import type { Alarm, World } from './fakes/world';
import { STATE_BUCKET } from './setup';

const configs = stageConfigs({ alertEmails: { dev: [], prod: [] } });

export function deployAlarmOf(world: World, stage: Stage): Alarm | undefined {
  return world.alarm(configs[stage].region, deployAlarmName(configs[stage].namePrefix));
}

export function stateOf(world: World, stage: Stage): TerraformState | undefined {
  const body = world.getObject(STATE_BUCKET, stateKey(stage));
  return body === undefined ? undefined : (JSON.parse(body) as TerraformState);
}

export function lockOf(world: World, stage: Stage): LockInfo | undefined {
  const body = world.getObject(STATE_BUCKET, lockKey(stage));
  return body === undefined ? undefined : (JSON.parse(body) as LockInfo);
}

/**
 * The state each call to set `stage`'s deploy alarm asked for, with its exit code
 * (`ALARM:254`: there was no alarm), from the `since`-th recorded AWS call on.
 */
export function deployAlarmCalls(world: World, stage: Stage, since = 0): string[] {
  return world
    .calls('aws')
    .slice(since)
    .filter(
      (call) =>
        call.args.includes('set-alarm-state') &&
        call.args.includes(deployAlarmName(configs[stage].namePrefix)),
    )
    .map((call) => `${call.args[call.args.indexOf('--state-value') + 1]}:${call.exitCode}`);
}
