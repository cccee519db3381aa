/**
 * What a stage looks like in the fake account after a rehearsal: its state and lock objects in
 * the state bucket; its deploy alarm, as DescribeAlarms shows it at the world's time; whether the
 * data sent held the stage at a given time; the holds and releases sent. The names, the region
 * and the metric come from the stacks' own helpers, the hold logic from deploy-hold.ts.
 */
import * as path from 'node:path';
import { stageConfigs, type Stage } from '../../../stacks/config';
import {
  heldMinutes,
  type HoldDatapoint,
  type MinuteSum,
  deployInProgressMetric,
} from '@monitored/cloudwatch-model';
import { deployAlarmName } from '../../../stacks/monitoring/names';
import { lockKey, stateKey } from '../../../stacks/state/state-backend';
import {
  alarmStateAt,
  metricStatistics,
  nextEvaluation,
  type AlarmStatus,
} from './fakes/cloudwatch';
import type { LockInfo, TerraformState } from './fakes/terraform';
import type { Alarm, World } from './fakes/world';
import { STATE_BUCKET } from './setup';

const configs = stageConfigs({ alertEmails: { dev: [], prod: [] } });
const regionOf = (stage: Stage) => configs[stage].region;
const alarmNameOf = (stage: Stage) => deployAlarmName(configs[stage].namePrefix);
const metricOf = (stage: Stage) => deployInProgressMetric(configs[stage].namePrefix);

/** The stage's deploy alarm as created, with its state at the world's time; undefined before. */
export function deployAlarmOf(world: World, stage: Stage): (Alarm & AlarmStatus) | undefined {
  const cloudwatch = world.cloudwatch(regionOf(stage));
  const alarm = cloudwatch.alarms[alarmNameOf(stage)];
  return alarm && { ...alarm, ...alarmStateAt(cloudwatch, alarm, world.now()) };
}

/**
 * Whether what the account had received by `time` holds the stage: its deploy alarm's next
 * evaluation from then (its first, for a time before the alarm existed) is ALARM, whatever was
 * sent after. Fails for a stage without a deploy alarm: nothing judges its holds.
 */
export function heldAt(world: World, stage: Stage, time: number): boolean {
  const cloudwatch = world.cloudwatch(regionOf(stage));
  const alarm = cloudwatch.alarms[alarmNameOf(stage)];
  if (alarm === undefined) throw new Error(`${stage} has no deploy alarm in the fake account`);
  return nextEvaluation(cloudwatch, alarm, time).state === 'ALARM';
}

/** One PutMetricData of the stage's hold metric: a hold (+1) or a release (the opposite). */
export interface HoldSent {
  readonly receivedAt: number;
  readonly sentBy: string;
  readonly datapoints: readonly HoldDatapoint[];
}

/** What was sent to hold or release the stage, in order, from the world's time `since` on. */
export function holdsSent(world: World, stage: Stage, since = -Infinity): HoldSent[] {
  const metric = metricOf(stage);
  return world
    .cloudwatch(regionOf(stage))
    .metricPuts.filter((put) => put.namespace === metric.namespace && put.receivedAt >= since)
    .map((put) => ({
      receivedAt: put.receivedAt,
      sentBy: put.sentBy,
      datapoints: put.data
        .filter((datum) => datum.name === metric.name)
        .map(({ timestamp, value }) => ({ timestamp, value })),
    }));
}

/** The minutes of every hold sent that no release has cancelled (their Sum is above 0). */
export function unreleasedHolds(world: World, stage: Stage): number[] {
  const metric = metricOf(stage);
  const sums: MinuteSum[] = metricStatistics(world.cloudwatch(regionOf(stage)), {
    namespace: metric.namespace,
    name: metric.name,
    dimensions: {},
    start: 0,
    end: Infinity,
    periodSeconds: 60,
    statistics: ['Sum'],
    receivedBy: Infinity,
  }).map(({ timestamp, values }) => ({ timestamp, sum: values.Sum ?? 0 }));
  return heldMinutes(sums);
}

/**
 * When each `terraform apply` of the stage's stack ended, from the world's time `since` on: a
 * moment of a deploy after its hold and before its release.
 */
export function appliesOf(world: World, stage: Stage, since = -Infinity): number[] {
  return world
    .calls('terraform')
    .filter(
      (call) =>
        call.args[0] === 'apply' &&
        call.cwd.endsWith(`${path.sep}stacks${path.sep}${stage}`) &&
        call.at >= since,
    )
    .map((call) => call.at);
}

export function stateOf(world: World, stage: Stage): TerraformState | undefined {
  const body = world.getObject(STATE_BUCKET, stateKey(stage));
  return body === undefined ? undefined : (JSON.parse(body) as TerraformState);
}

export function lockOf(world: World, stage: Stage): LockInfo | undefined {
  const body = world.getObject(STATE_BUCKET, lockKey(stage));
  return body === undefined ? undefined : (JSON.parse(body) as LockInfo);
}
