/**
 * CloudWatch for one synthesized stack on this machine, assembled: a metric store over the
 * catalogue it is given, the stack's alarms evaluated over it as CloudWatch evaluates them, each
 * state change with actions sent as SNS email into an outbox folder, log groups Logs Insights
 * queries run over, and the monitor (dashboard, alarms, logs) on a loopback port. The caller puts
 * the data (putMetricData, logs.append) and says when to evaluate: it owns the clock.
 */
import type { MetricCatalogue } from '@monitored/cloudwatch-model';
import { AlarmEngine, type AlarmEvent } from './alarm-engine';
import type { ListeningServer } from './listening-server';
import { awsUrls } from './local-ids';
import { localLink, type SiteUrls } from './local-links';
import { InMemoryLogStore } from './logs-insights/log-store';
import { DEFAULT_RETENTION_MS, MetricStore, type MetricDatum } from './metric-store';
import {
  monitorLinkTargets,
  startMonitorServer,
  type MonitorServerOptions,
  type MonitorSources,
} from './monitor-server';
import { Outbox, type SentEmail } from './outbox';
import type { StackDashboard, StackDefinitions } from './stack-definitions';

export interface LocalCloudWatchOptions {
  /** The stack's monitoring (loadStackDefinitions or readStackDefinitions). */
  readonly definitions: StackDefinitions;
  /** The metrics it records: a datum or an alarm of any other is refused. */
  readonly catalogue: MetricCatalogue;
  /** An existing folder the alarm emails are written to (`.eml`). */
  readonly outboxDir: string;
  /** The time, ms since the epoch. @default Date.now */
  readonly now?: () => number;
  /** The dashboard the monitor draws, by name. @default the stack's first, else an empty one */
  readonly dashboard?: string;
  /** How long metric data is kept. @default 2 days */
  readonly retentionMs?: number;
  /** Where the stack's site and API run on this machine, for links. @default AWS's own URLs */
  readonly localUrls?: SiteUrls;
}

export class LocalCloudWatch {
  readonly definitions: StackDefinitions;
  readonly metrics: MetricStore;
  readonly alarms: AlarmEngine;
  readonly logs: InMemoryLogStore;
  readonly outbox: Outbox;
  /** The emails sent since the start, oldest first. */
  readonly sent: SentEmail[] = [];
  private readonly sources: MonitorSources;
  private monitorUrl = '';

  constructor(options: LocalCloudWatchOptions) {
    const now = options.now ?? Date.now;
    const { definitions } = options;
    this.definitions = definitions;
    this.metrics = new MetricStore({
      catalogue: options.catalogue,
      retentionMs: options.retentionMs ?? DEFAULT_RETENTION_MS,
    });
    this.alarms = new AlarmEngine({
      store: this.metrics,
      accountId: definitions.accountId,
      metricAlarms: definitions.metricAlarms,
      compositeAlarms: definitions.compositeAlarms,
      createdAt: now(),
    });
    this.logs = new InMemoryLogStore({ now });
    for (const group of definitions.logGroups)
      this.logs.createGroup(group.name, { retentionDays: group.retentionDays });
    for (const canary of definitions.canaries) this.logs.createGroup(canary.logGroupName);
    this.sources = {
      definitions: { ...definitions, dashboard: chosenDashboard(definitions, options.dashboard) },
      metrics: this.metrics,
      alarms: this.alarms,
      logs: this.logs,
      now,
      localUrls: options.localUrls ?? awsUrls(definitions.region),
    };
    this.outbox = new Outbox({
      directory: options.outboxDir,
      definitions,
      rewriteLink: (url, at) =>
        localLink(url, { ...monitorLinkTargets(this.sources, this.monitorUrl), anchoredAt: at }),
    });
    this.alarms.subscribe((event) => {
      if (event.actions.length > 0) this.sent.push(...this.outbox.deliver(event));
    });
  }

  /** PutMetricData for one datum; throws a MetricDataError for a metric outside the catalogue. */
  putMetricData(datum: MetricDatum): void {
    this.metrics.put(datum);
  }

  /**
   * Evaluates every alarm at each evaluation instant up to `now`, as CloudWatch does, sending the
   * emails their actions call for; returns the state changes and released actions.
   */
  evaluate(now: number): AlarmEvent[] {
    return this.alarms.evaluate(now);
  }

  /** Starts the monitor: the dashboard drawn from the local data, the alarms, the logs. */
  async startMonitor(options: MonitorServerOptions): Promise<ListeningServer> {
    const server = await startMonitorServer(this.sources, options);
    this.monitorUrl = server.url;
    return server;
  }
}

function chosenDashboard(definitions: StackDefinitions, name: string | undefined): StackDashboard {
  if (name === undefined)
    return definitions.dashboards[0] ?? { name: definitions.stage, body: { widgets: [] } };
  const found = definitions.dashboards.find((dashboard) => dashboard.name === name);
  if (found === undefined)
    throw new Error(
      `the stack has no dashboard ${JSON.stringify(name)}; it has ${definitions.dashboards.map((dashboard) => JSON.stringify(dashboard.name)).join(', ') || 'none'}`,
    );
  return found;
}
