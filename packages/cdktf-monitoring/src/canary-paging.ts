import type { CloudwatchCompositeAlarm } from '@cdktf/provider-aws/lib/cloudwatch-composite-alarm';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import {
  canaryThresholds,
  deployedRecentlyThreshold,
  deployHoldThreshold,
  metric,
  newCanaryGraceSeconds,
  pagingSuppression,
  runsWithinSeconds,
  scheduleInterval,
} from '@monitored/cloudwatch-model';
import {
  canaryAlarms,
  deployAlarm,
  pagingComposite,
  thresholdAlarm,
  type AlarmDestination,
  type BuiltAlarm,
  type CanaryAlarms,
} from './alarms';
import type { Canary } from './canary';

/** One canary that pages, and what its alarms' descriptions say beyond its thresholds. */
export interface PagedCanary {
  readonly canary: Canary;
  /**
   * What to look at first when its journey fails: what a failed run leaves, where its requests
   * are logged. @default "the canary's failed run"
   */
  readonly journeyCheckFirst?: string;
  /** Each alarm's links, after its description's "check first". @default none */
  readonly links?: Partial<Readonly<Record<keyof CanaryAlarms, readonly string[]>>>;
}

/** The deploy alarm: the metric a deploy holds and releases, and how a person reads of it. */
export interface DeployHold {
  /**
   * The namespace of its `DeployInProgress` metric (deployInProgressMetric in
   * @monitored/cloudwatch-model): the stage's own, where the deploy sends the hold's data.
   */
  readonly namespace: string;
  /**
   * How the hold is taken and released, a sentence of the deploy alarm's description after what
   * broke, e.g. `Held and released by ./deploy-alarm prod set|clear around each deploy.`
   */
  readonly howHeld: string;
  /** The command a person runs to release a hold nobody released. */
  readonly releaseCommand: string;
  /** What the hold keeps quiet, in words. @default "the paging alarm" */
  readonly quieted?: string;
}

export interface CanaryPagingProps<Key extends string> {
  /** The canaries, by key; the composite's rule names them in this order. */
  readonly canaries: Readonly<Record<Key, PagedCanary>>;
  readonly destination: AlarmDestination;
  /**
   * The physical name of each alarm from its id (`<key>-journey-failing`,
   * `<key>-canary-not-running`, `<key>-canary-broken`, `deploy-in-progress`, `deployed-recently`,
   * `site-down`), e.g. `(id) => physicalName(prefix, id, 'cloudwatchAlarm')`.
   */
  readonly alarmName: (id: string) => string;
  readonly deployHold: DeployHold;
  /** The paging composite's description: what its ALARM means, what to check first, links. */
  readonly pagingDescription: string;
  /** Appended to the deploy alarm's and "deployed recently"'s descriptions. @default none */
  readonly links?: readonly string[];
  /**
   * The canary whose next run the composite waits for after a deploy ends, so that its journey
   * alarm, if a deploy left it in ALARM, clears before anything pages.
   * @default the canary whose runs come soonest
   */
  readonly settleAfterDeploy?: Key;
}

/** What CanaryPaging builds. */
export interface CanaryPagingAlarms<Key extends string> {
  /** Each canary's three alarms: the journey failing, not running, broken. */
  readonly byCanary: Readonly<Record<Key, CanaryAlarms>>;
  /** The alarm a deploy holds in ALARM: the composite's actions suppressor. */
  readonly deployInProgress: CloudwatchMetricAlarm;
  /** The "deployed recently" alarm: no actions, read by the composite only. */
  readonly deployedRecently: BuiltAlarm;
  /** The composite that pages: "site down or unwatched". */
  readonly siteDown: CloudwatchCompositeAlarm;
}

/**
 * Builds CanaryPaging's alarms in `scope` itself, with the ids CanaryPagingProps lists: for a
 * construct of yours that holds other alarms beside them at the same level.
 *
 * Each canary gets three alarms (canaryThresholds in @monitored/cloudwatch-model, periods of its
 * interval): its journey failing and the canary broken notify the destination on ALARM and OK.
 * Its "not running" treats missing data as breaching, so it is in ALARM before a new canary's
 * first run exactly as after the canary stops, and a metric alarm cannot tell the two apart nor
 * has a suppressor; so it pages only through the composite, `ALARM(journey failing) OR … OR
 * ((ALARM(not running) OR …) AND NOT ALARM(deployed recently))`. "Deployed recently" counts the
 * deploy alarm's datapoints, a hold's and a release's, over the longest canary's first run and a
 * margin (newCanaryGraceSeconds); the deploy alarm, held by the deploy from before it creates the
 * alarms (deploy-hold.ts in the model), is the composite's actions suppressor: on a new stage the
 * composite can evaluate before "deployed recently" has a state ("ALARM(...) is TRUE if the named
 * alarm is in ALARM state", PutCompositeAlarm), and its actions wait a minute for the suppressor
 * ("the maximum time in seconds that the composite alarm waits for the suppressor alarm to go
 * into the ALARM state", ActionsSuppressorWaitPeriod), which reaches ALARM at its first
 * evaluation. After the deploy, the composite stays quiet until the settling canary has run again
 * (pagingSuppression). @monitored/terraform-policy's rule canary-not-running-grace checks the
 * pattern in the synthesized JSON.
 */
export function canaryPaging<Key extends string>(
  scope: Construct,
  props: CanaryPagingProps<Key>,
): CanaryPagingAlarms<Key> {
  const { destination, alarmName, deployHold } = props;
  const keys = Object.keys(props.canaries) as Key[];
  if (keys.length === 0) throw new Error('canary paging needs at least one canary');
  const schedules = keys.map((key) => props.canaries[key].canary.schedule);

  const byCanary = Object.fromEntries(
    keys.map((key) => {
      const { canary, journeyCheckFirst, links = {} } = props.canaries[key];
      const interval = scheduleInterval(canary.schedule.expression);
      if (interval.kind !== 'every') {
        throw new Error(
          `canary ${canary.name}: alarms need a canary that runs on a schedule (${canary.schedule.expression})`,
        );
      }
      const ids = {
        journeyFailing: `${key}-journey-failing`,
        notRunning: `${key}-canary-not-running`,
        broken: `${key}-canary-broken`,
      };
      const alarms = canaryAlarms(scope, {
        canary,
        thresholds: canaryThresholds({
          intervalSeconds: interval.seconds,
          retries: canary.schedule.maxRetries,
          ...(journeyCheckFirst !== undefined && { journeyCheckFirst }),
        }),
        ids,
        names: {
          journeyFailing: alarmName(ids.journeyFailing),
          notRunning: alarmName(ids.notRunning),
          broken: alarmName(ids.broken),
        },
        links: {
          journeyFailing: links.journeyFailing ?? [],
          notRunning: links.notRunning ?? [],
          broken: links.broken ?? [],
        },
        destination,
      });
      return [key, alarms];
    }),
  ) as Record<Key, CanaryAlarms>;

  const links = props.links ?? [];
  const hold = deployHoldThreshold({
    namespace: deployHold.namespace,
    quieted: deployHold.quieted ?? 'the paging alarm',
    releaseCommand: deployHold.releaseCommand,
  });
  const deployAlarmName = alarmName('deploy-in-progress');
  const deployInProgress = deployAlarm(scope, 'deploy-in-progress', {
    name: deployAlarmName,
    threshold: hold,
    description: [
      `${hold.broke} ${deployHold.howHeld} Check first: ${hold.checkFirst}.`,
      ...links,
    ].join(' '),
    destination,
  });

  const deployedRecently = thresholdAlarm(scope, 'deployed-recently', {
    name: alarmName('deployed-recently'),
    metric: metric(hold.metric, {}),
    threshold: deployedRecentlyThreshold(deployHold.namespace, newCanaryGraceSeconds(schedules)),
    destination,
    links,
    notifies: false,
  });

  const settling =
    props.settleAfterDeploy !== undefined
      ? props.canaries[props.settleAfterDeploy].canary.schedule
      : schedules.reduce((soonest, schedule) =>
          runsWithinSeconds(schedule) < runsWithinSeconds(soonest) ? schedule : soonest,
        );
  const suppression = pagingSuppression(settling);
  const siteDown = pagingComposite(scope, 'site-down', {
    name: alarmName('site-down'),
    description: props.pagingDescription,
    alerting: keys.map((key) => byCanary[key].journeyFailing),
    guarded: { alarms: keys.map((key) => byCanary[key].notRunning), unless: deployedRecently },
    suppressor: {
      alarm: deployInProgress,
      name: deployAlarmName,
      waitSeconds: suppression.waitSeconds,
      extensionSeconds: suppression.extensionSeconds,
    },
    destination,
  });
  return { byCanary, deployInProgress, deployedRecently, siteDown };
}

/**
 * Canaries that page a person when their journey fails or they stop running, and stay quiet
 * while a deploy runs and while a new stage's canaries have not run yet: each canary's three
 * alarms, the deploy alarm, the "deployed recently" alarm and the paging composite (canaryPaging
 * says how), in a construct of their own.
 */
export class CanaryPaging<Key extends string> extends Construct implements CanaryPagingAlarms<Key> {
  public readonly byCanary: Readonly<Record<Key, CanaryAlarms>>;
  public readonly deployInProgress: CloudwatchMetricAlarm;
  public readonly deployedRecently: BuiltAlarm;
  public readonly siteDown: CloudwatchCompositeAlarm;

  constructor(scope: Construct, id: string, props: CanaryPagingProps<Key>) {
    super(scope, id);
    const built = canaryPaging(this, props);
    this.byCanary = built.byCanary;
    this.deployInProgress = built.deployInProgress;
    this.deployedRecently = built.deployedRecently;
    this.siteDown = built.siteDown;
  }
}
