/**
 * The local CloudWatch alarm service: the stage's alarm definitions, their states, their history,
 * and the actions each state change runs. Time is passed in; nothing here reads a clock.
 *
 * Behaviour reproduced, with the AWS pages it comes from:
 * - "When this operation creates an alarm, the alarm state is immediately set to INSUFFICIENT_DATA"
 *   (PutMetricAlarm, https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html),
 *   with the reason AWS's events show for a new alarm, "Unchecked: Initial alarm creation".
 * - Metric alarms are evaluated every minute (every 10 s for periods under a minute, every hour for
 *   ranges over a day), on their own evaluation range: alarm-windows.ts, alarm-evaluator.ts.
 * - Composite alarms are re-evaluated when a child changes state, after their children, and are
 *   INSUFFICIENT_DATA only until their first evaluation: composite-alarm.ts.
 * - "Alarms invoke actions for sustained state changes only" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html):
 *   actions run on a change of state, never on an unchanged one; a composite's actions may be held
 *   back by its actions suppressor and run when the WaitPeriod or ExtensionPeriod ends.
 * - SetAlarmState (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html):
 *   "When the updated state differs from the previous value, the action configured for the
 *   appropriate state is invoked"; "Metric alarms returns to their actual state quickly": the
 *   next periodic evaluation recomputes it (an alarm with treat-missing `ignore` and no data
 *   keeps the state it was set to); a composite "returns to its actual state only once any of its
 *   children alarms change state".
 *
 * Where AWS is silent, and what this does:
 * - evaluate(now) replays every evaluation instant since the previous call, so a late tick does
 *   not skip an evaluation; within an instant metric alarms go first, then composites in
 *   dependency order, then suppression periods that ran out.
 * - Alarm rules with a cycle are refused when the engine is built (AWS stops evaluating them).
 * - History keeps state changes only, for the engine's lifetime.
 */
import {
  ALARM_LIMITS,
  type MetricSpec,
  ALARM_STATES,
  AlarmDefinitionError,
  actionsFor,
  alarmArn,
  validateCompositeAlarm,
  validateMetricAlarm,
  type AlarmDefinition,
  type AlarmState,
  type CompositeAlarmDefinition,
  type MetricAlarmDefinition,
  parseAlarmRule,
  type AlarmRule,
} from '@monitored/cloudwatch-model';
import {
  evaluateMetricAlarm,
  evaluationRangeLength,
  type MetricAlarmEvaluation,
} from './alarm-evaluator';
import {
  alarmMetric,
  evaluationInstant,
  evaluationIntervalSeconds,
  evaluationRange,
} from './alarm-windows';
import {
  ActionsSuppression,
  compositeReason,
  compositeState,
  type SuppressedBy,
  type TriggeringAlarm,
} from './composite-alarm';
import type { MetricStore } from './metric-store';

/**
 * "Amazon CloudWatch retains the history of active and deleted alarms for two weeks"
 * (mon-describe-alarm-history, CloudWatch CLI reference; the current DescribeAlarmHistory page
 * names no period): older state changes are forgotten, so the history does not grow with the run.
 */
export const ALARM_HISTORY_RETENTION_MS = 14 * 24 * 3600 * 1000;
export type AlarmType = 'MetricAlarm' | 'CompositeAlarm';

export interface AlarmStatus {
  readonly name: string;
  readonly arn: string;
  readonly type: AlarmType;
  readonly definition: AlarmDefinition;
  readonly state: AlarmState;
  readonly reason: string;
  /** JSON, or undefined when the state was set by hand without data. */
  readonly reasonData: string | undefined;
  readonly updatedAt: number;
  /** For a composite with an actions suppressor: what holds its actions back now. */
  readonly actionsSuppressedBy?: SuppressedBy;
  /** For a metric alarm: its latest evaluation (range, datapoints, outcome). */
  readonly lastEvaluation?: MetricAlarmEvaluation;
}

/** One state change, as DescribeAlarmHistory's StateUpdate items carry it. */
export interface HistoryEntry {
  readonly timestamp: number;
  readonly alarmName: string;
  readonly alarmArn: string;
  readonly alarmType: AlarmType;
  readonly oldState: AlarmState;
  readonly newState: AlarmState;
  readonly reason: string;
  readonly reasonData: string | undefined;
  /**
   * A composite's actions for this change were held back by its actions suppressor (what
   * DescribeAlarms reports as ActionsSuppressedBy and ActionsSuppressedReason at that moment).
   */
  readonly actionsSuppressed?: { readonly by: SuppressedBy; readonly reason: string };
}

export type AlarmEvent =
  | {
      readonly type: 'StateChange';
      readonly change: HistoryEntry;
      readonly definition: AlarmDefinition;
      /** The actions to run now; empty when there are none or they are suppressed. */
      readonly actions: readonly string[];
      readonly suppressed?: { readonly by: SuppressedBy; readonly reason: string };
    }
  | {
      /** A suppression period ended: the composite now takes the actions of its current state. */
      readonly type: 'ActionsReleased';
      readonly timestamp: number;
      readonly releasedBy: 'WaitPeriod' | 'ExtensionPeriod';
      /** The change that brought the composite into its current state. */
      readonly change: HistoryEntry;
      readonly definition: CompositeAlarmDefinition;
      readonly actions: readonly string[];
    };

export interface AlarmEngineOptions {
  readonly store: MetricStore;
  /** The account in alarm ARNs (the local stand-in for the AWS account id). */
  readonly accountId: string;
  readonly metricAlarms: readonly MetricAlarmDefinition[];
  readonly compositeAlarms: readonly CompositeAlarmDefinition[];
  /** When the alarms were created (ms since the epoch); the first evaluation follows it. */
  readonly createdAt: number;
}

const MAX_REASON_LENGTH = ALARM_LIMITS.stateReasonLength;
const MAX_REASON_DATA_LENGTH = ALARM_LIMITS.stateReasonDataLength;
const INITIAL_REASON = 'Unchecked: Initial alarm creation';

interface AlarmRuntime {
  readonly arn: string;
  readonly type: AlarmType;
  readonly definition: AlarmDefinition;
  state: AlarmState;
  reason: string;
  reasonData: string | undefined;
  updatedAt: number;
  latestChange: HistoryEntry | undefined;
}

interface MetricAlarmRuntime extends AlarmRuntime {
  readonly type: 'MetricAlarm';
  readonly definition: MetricAlarmDefinition;
  readonly metric: MetricSpec;
  lastEvaluation: MetricAlarmEvaluation | undefined;
}

interface CompositeAlarmRuntime extends AlarmRuntime {
  readonly type: 'CompositeAlarm';
  readonly definition: CompositeAlarmDefinition;
  readonly rule: AlarmRule;
  /** Rule reference as written → the child's ARN. */
  readonly children: ReadonlyMap<string, string>;
  readonly suppressorArn: string | undefined;
  readonly suppression: ActionsSuppression | undefined;
  evaluated: boolean;
  /** Children that changed since the last evaluation, in order of change. */
  triggering: TriggeringAlarm[];
}

export class AlarmEngine {
  private readonly store: MetricStore;
  private readonly metricAlarms: MetricAlarmRuntime[] = [];
  /** Children (and suppressors) before the composites that read them. */
  private readonly compositeAlarms: CompositeAlarmRuntime[] = [];
  private readonly byArn = new Map<string, MetricAlarmRuntime | CompositeAlarmRuntime>();
  private readonly entries: HistoryEntry[] = [];
  private readonly listeners = new Set<(event: AlarmEvent) => void>();
  private readonly roundStepMs: number;
  private clock: number;

  constructor(options: AlarmEngineOptions) {
    this.store = options.store;
    this.clock = options.createdAt;
    const initial = {
      state: 'INSUFFICIENT_DATA' as const,
      reason: INITIAL_REASON,
      reasonData: undefined,
    };
    for (const definition of options.metricAlarms) {
      validateMetricAlarm(definition);
      const metric = this.checkedMetric(definition);
      this.register({
        ...initial,
        arn: alarmArn(definition.region, options.accountId, definition.name),
        type: 'MetricAlarm',
        definition,
        metric,
        updatedAt: options.createdAt,
        latestChange: undefined,
        lastEvaluation: undefined,
      });
    }
    const composites: CompositeAlarmRuntime[] = [];
    for (const definition of options.compositeAlarms) {
      validateCompositeAlarm(definition);
      const arn = alarmArn(definition.region, options.accountId, definition.name);
      const rule = parseAlarmRule(definition.alarmRule);
      const resolve = (reference: string): string =>
        reference.startsWith('arn:')
          ? reference
          : alarmArn(definition.region, options.accountId, reference);
      const runtime: CompositeAlarmRuntime = {
        ...initial,
        arn,
        type: 'CompositeAlarm',
        definition,
        rule,
        children: new Map(rule.children.map((reference) => [reference, resolve(reference)])),
        suppressorArn: definition.actionsSuppressor && resolve(definition.actionsSuppressor.alarm),
        // Every alarm starts INSUFFICIENT_DATA, so no suppressor starts in ALARM.
        suppression:
          definition.actionsSuppressor &&
          new ActionsSuppression(definition.actionsSuppressor, 'INSUFFICIENT_DATA'),
        updatedAt: options.createdAt,
        latestChange: undefined,
        evaluated: false,
        triggering: [],
      };
      this.register(runtime);
      composites.push(runtime);
    }
    this.compositeAlarms = this.dependencyOrder(composites);
    const intervals = this.metricAlarms.map(
      (alarm) => evaluationIntervalSeconds(alarm.definition) * 1000,
    );
    this.roundStepMs = Math.min(60_000, ...intervals);
  }

  /** The time of the latest evaluation (or creation): evaluate() takes no earlier time. */
  get evaluatedUntil(): number {
    return this.clock;
  }

  /** Calls `listener` with every event; returns the function that stops it. */
  subscribe(listener: (event: AlarmEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs every evaluation due since the previous call, up to and including `now`, and returns the
   * events they produced (also sent to subscribers).
   */
  evaluate(now: number): AlarmEvent[] {
    this.checkTime(now);
    const events: AlarmEvent[] = [];
    for (
      let instant = (Math.floor(this.clock / this.roundStepMs) + 1) * this.roundStepMs;
      instant <= now;
      instant += this.roundStepMs
    ) {
      for (const alarm of this.metricAlarms) {
        if (evaluationInstant(alarm.definition, instant) === instant) {
          this.evaluateMetricAlarm(alarm, instant, events);
        }
      }
      this.settleComposites(instant, events);
    }
    this.releaseSuppressed(now, events);
    this.clock = now;
    return events;
  }

  /**
   * SetAlarmState: puts an alarm in `state` at `now` (after running the evaluations due until then),
   * runs its actions if the state changed, and re-evaluates the composites that read it.
   */
  setAlarmState(
    nameOrArn: string,
    state: AlarmState,
    reason: string,
    now: number,
    reasonData?: string,
  ): AlarmEvent[] {
    const alarm = this.find(nameOrArn);
    if (!ALARM_STATES.includes(state)) {
      throw new Error(
        `SetAlarmState: state must be one of ${ALARM_STATES.join(', ')}, got ${JSON.stringify(state)}`,
      );
    }
    if (reason.length > MAX_REASON_LENGTH) {
      throw new Error(`SetAlarmState: the reason must be at most ${MAX_REASON_LENGTH} characters`);
    }
    if (reasonData !== undefined) checkReasonData(reasonData);
    const events = this.evaluate(now);
    if (alarm.type === 'CompositeAlarm') alarm.evaluated = true;
    if (alarm.state === state) {
      alarm.reason = reason;
      alarm.reasonData = reasonData;
    } else {
      this.transition(alarm, state, reason, reasonData, now, events);
    }
    this.settleComposites(now, events);
    this.releaseSuppressed(now, events);
    return events;
  }

  /** The current state of one alarm, by name or ARN. */
  status(nameOrArn: string): AlarmStatus {
    return this.statusOf(this.find(nameOrArn));
  }

  /** Every alarm's current state: metric alarms first, then composites. */
  statuses(): AlarmStatus[] {
    return [...this.metricAlarms, ...this.compositeAlarms].map((alarm) => this.statusOf(alarm));
  }

  /** State changes, oldest first; of one alarm when a name or ARN is given. */
  history(nameOrArn?: string): readonly HistoryEntry[] {
    if (nameOrArn === undefined) return [...this.entries];
    const arn = this.find(nameOrArn).arn;
    return this.entries.filter((entry) => entry.alarmArn === arn);
  }

  private evaluateMetricAlarm(
    alarm: MetricAlarmRuntime,
    instant: number,
    events: AlarmEvent[],
  ): void {
    const range = evaluationRange(this.store, alarm.definition, instant, alarm.metric);
    const result = evaluateMetricAlarm(alarm.definition, range, alarm.state, instant);
    alarm.lastEvaluation = result;
    if (result.state !== alarm.state) {
      this.transition(
        alarm,
        result.state,
        result.reason,
        JSON.stringify(result.reasonData),
        instant,
        events,
      );
    }
  }

  /**
   * Re-evaluates, children first, each composite never evaluated or with a child that changed,
   * then ends the suppression periods that ran out.
   */
  private settleComposites(instant: number, events: AlarmEvent[]): void {
    for (const alarm of this.compositeAlarms) {
      if (!alarm.evaluated || alarm.triggering.length > 0) {
        const state = compositeState(alarm.rule, (reference) =>
          this.stateOfChild(alarm, reference),
        );
        const triggering = alarm.evaluated ? alarm.triggering : [];
        alarm.evaluated = true;
        alarm.triggering = [];
        if (state !== alarm.state) {
          const { reason, reasonData } = compositeReason(alarm.arn, state, triggering);
          this.transition(alarm, state, reason, reasonData, instant, events);
        }
      }
      this.release(alarm, instant, events);
    }
  }

  private releaseSuppressed(now: number, events: AlarmEvent[]): void {
    for (const alarm of this.compositeAlarms) this.release(alarm, now, events);
  }

  private release(alarm: CompositeAlarmRuntime, now: number, events: AlarmEvent[]): void {
    const releasedBy = alarm.suppression?.release(now);
    if (releasedBy === undefined || alarm.latestChange === undefined) return;
    this.emit(events, {
      type: 'ActionsReleased',
      timestamp: now,
      releasedBy,
      change: alarm.latestChange,
      definition: alarm.definition,
      actions: actionsFor(alarm.definition, alarm.state),
    });
  }

  private transition(
    alarm: MetricAlarmRuntime | CompositeAlarmRuntime,
    state: AlarmState,
    reason: string,
    reasonData: string | undefined,
    at: number,
    events: AlarmEvent[],
  ): void {
    const decision =
      alarm.type === 'CompositeAlarm' && alarm.suppression !== undefined
        ? alarm.suppression.compositeChanged(at)
        : ({ act: true } as const);
    const change: HistoryEntry = {
      timestamp: at,
      alarmName: alarm.definition.name,
      alarmArn: alarm.arn,
      alarmType: alarm.type,
      oldState: alarm.state,
      newState: state,
      reason,
      reasonData,
      ...(!decision.act && {
        actionsSuppressed: { by: decision.suppressedBy, reason: decision.suppressedReason },
      }),
    };
    alarm.state = state;
    alarm.reason = reason;
    alarm.reasonData = reasonData;
    alarm.updatedAt = at;
    alarm.latestChange = change;
    this.entries.push(change);
    const kept = this.entries.findIndex(
      (entry) => entry.timestamp >= at - ALARM_HISTORY_RETENTION_MS,
    );
    if (kept > 0) this.entries.splice(0, kept);
    this.emit(
      events,
      decision.act
        ? {
            type: 'StateChange',
            change,
            definition: alarm.definition,
            actions: actionsFor(alarm.definition, state),
          }
        : {
            type: 'StateChange',
            change,
            definition: alarm.definition,
            actions: [],
            suppressed: { by: decision.suppressedBy, reason: decision.suppressedReason },
          },
    );
    for (const composite of this.compositeAlarms) {
      if ([...composite.children.values()].includes(alarm.arn)) {
        composite.triggering.push({ arn: alarm.arn, state, timestamp: at });
      }
      if (composite.suppressorArn === alarm.arn) {
        composite.suppression?.suppressorChanged(at, state);
      }
    }
  }

  private emit(events: AlarmEvent[], event: AlarmEvent): void {
    events.push(event);
    for (const listener of this.listeners) listener(event);
  }

  private stateOfChild(alarm: CompositeAlarmRuntime, reference: string): AlarmState {
    const arn = alarm.children.get(reference);
    const child = arn === undefined ? undefined : this.byArn.get(arn);
    if (child === undefined) {
      throw new Error(`composite alarm ${alarm.definition.name}: unknown child ${reference}`);
    }
    return child.state;
  }

  private statusOf(alarm: MetricAlarmRuntime | CompositeAlarmRuntime): AlarmStatus {
    const base = {
      name: alarm.definition.name,
      arn: alarm.arn,
      type: alarm.type,
      definition: alarm.definition,
      state: alarm.state,
      reason: alarm.reason,
      reasonData: alarm.reasonData,
      updatedAt: alarm.updatedAt,
    };
    return alarm.type === 'MetricAlarm'
      ? { ...base, lastEvaluation: alarm.lastEvaluation }
      : { ...base, actionsSuppressedBy: alarm.suppression?.suppressedBy };
  }

  private find(nameOrArn: string): MetricAlarmRuntime | CompositeAlarmRuntime {
    const byArn = this.byArn.get(nameOrArn);
    if (byArn !== undefined) return byArn;
    const named = [...this.byArn.values()].filter((alarm) => alarm.definition.name === nameOrArn);
    if (named.length === 1) return named[0];
    if (named.length === 0) throw new Error(`no alarm named ${JSON.stringify(nameOrArn)}`);
    throw new Error(
      `${named.length} alarms are named ${JSON.stringify(nameOrArn)} (in different regions): give the ARN`,
    );
  }

  private checkTime(now: number): void {
    if (!Number.isFinite(now)) {
      throw new RangeError(`time must be milliseconds since the epoch, got ${now}`);
    }
    if (now < this.clock) {
      throw new RangeError(
        `time went backwards: ${new Date(now).toISOString()} is before ${new Date(this.clock).toISOString()}`,
      );
    }
  }

  private register(alarm: MetricAlarmRuntime | CompositeAlarmRuntime): void {
    if (this.byArn.has(alarm.arn)) {
      throw new AlarmDefinitionError(
        `two alarms are named ${JSON.stringify(alarm.definition.name)} in ${alarm.definition.region}`,
      );
    }
    this.byArn.set(alarm.arn, alarm);
    if (alarm.type === 'MetricAlarm') this.metricAlarms.push(alarm);
  }

  private checkedMetric(definition: MetricAlarmDefinition): MetricSpec {
    const fail = (rule: string): never => {
      throw new AlarmDefinitionError(`metric alarm ${JSON.stringify(definition.name)}: ${rule}`);
    };
    const metric = alarmMetric(this.store.catalogue, definition);
    if (definition.unit !== undefined && definition.unit !== metric.unit) {
      fail(
        `unit ${JSON.stringify(definition.unit)} differs from the catalogue's ${JSON.stringify(metric.unit)}: it would never see data`,
      );
    }
    const rangeMs = evaluationRangeLength(definition) * definition.period * 1000;
    if (rangeMs > this.store.retentionMs) {
      fail(
        `its evaluation range (${rangeMs / 1000} s) is longer than the metric store keeps data (${this.store.retentionMs / 1000} s)`,
      );
    }
    return metric;
  }

  /** Orders composites so that each comes after the composites it reads; refuses cycles. */
  private dependencyOrder(composites: readonly CompositeAlarmRuntime[]): CompositeAlarmRuntime[] {
    for (const composite of composites) {
      for (const [reference, arn] of composite.children) {
        if (!this.byArn.has(arn)) {
          throw new AlarmDefinitionError(
            `composite alarm ${JSON.stringify(composite.definition.name)}: its rule references ${JSON.stringify(reference)}, which is not an alarm of this stack`,
          );
        }
      }
      if (composite.suppressorArn !== undefined && !this.byArn.has(composite.suppressorArn)) {
        throw new AlarmDefinitionError(
          `composite alarm ${JSON.stringify(composite.definition.name)}: its actions suppressor ${JSON.stringify(composite.definition.actionsSuppressor?.alarm)} is not an alarm of this stack`,
        );
      }
    }
    const ordered: CompositeAlarmRuntime[] = [];
    const done = new Set<string>();
    const visiting: string[] = [];
    const visit = (composite: CompositeAlarmRuntime): void => {
      if (done.has(composite.arn)) return;
      if (visiting.includes(composite.arn)) {
        const cycle = [...visiting.slice(visiting.indexOf(composite.arn)), composite.arn];
        throw new AlarmDefinitionError(
          `composite alarms form a cycle: ${cycle.map((arn) => this.byArn.get(arn)?.definition.name).join(' -> ')}`,
        );
      }
      visiting.push(composite.arn);
      const dependencies = [
        ...composite.children.values(),
        ...(composite.suppressorArn ? [composite.suppressorArn] : []),
      ];
      for (const arn of dependencies) {
        const dependency = this.byArn.get(arn);
        if (dependency?.type === 'CompositeAlarm') visit(dependency);
      }
      visiting.pop();
      done.add(composite.arn);
      ordered.push(composite);
    };
    composites.forEach(visit);
    return ordered;
  }
}

function checkReasonData(reasonData: string): void {
  if (reasonData.length > MAX_REASON_DATA_LENGTH) {
    throw new Error(
      `SetAlarmState: the reason data must be at most ${MAX_REASON_DATA_LENGTH} characters`,
    );
  }
  try {
    JSON.parse(reasonData);
  } catch (error: unknown) {
    throw new Error(`SetAlarmState: the reason data must be JSON (${String(error)})`, {
      cause: error,
    });
  }
}
