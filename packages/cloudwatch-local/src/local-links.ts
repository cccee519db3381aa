/**
 * Console links made local: the one function that the dashboard page (its text widgets, alarm
 * descriptions) and the local alarm emails use to turn a CloudWatch console URL, or the stand-in
 * AWS URL of the stage's site or API, into what opens it on this machine. No Node.js imports: the
 * page bundles it.
 */
import { parseConsoleLink } from '@monitored/cloudwatch-model';

export interface SiteUrls {
  readonly websiteUrl: string;
  readonly apiUrl: string;
}

export interface LocalLinkTargets {
  /**
   * The monitor's own address, without a trailing slash: `''` for links inside its pages, its URL
   * (`http://127.0.0.1:8090`) for links that leave them (emails).
   */
  readonly monitorUrl: string;
  /** The dashboard the monitor serves; a link to another dashboard stays as it is. */
  readonly dashboardName: string;
  /** What AWS would call the stage's site and API locally (local-ids.ts `awsUrls`). */
  readonly awsUrls: SiteUrls;
  /** Where they run on this machine. */
  readonly localUrls: SiteUrls;
  /**
   * For links in a message of a moment (an alarm's email, ms since the epoch): a log query's
   * range is fixed there rather than relative to the monitor's now, so the link goes on showing
   * what the alarm saw: its look-back before this moment. (AWS's links stay relative to whenever
   * they are clicked; at 60 simulated seconds a second, 3 hours back would leave the failure
   * behind within 3 real minutes.)
   */
  readonly anchoredAt?: number;
  /**
   * Where an anchored range ends, when later than `anchoredAt`: when the message was written, so
   * that lines stamped after the alarm's change (the requests of the canary run it waited for)
   * are in it. @default anchoredAt
   */
  readonly anchoredUntil?: number;
}

/** Pages of the monitor that links open. */
export const MONITOR_PAGES = {
  dashboard: '/',
  logs: '/logs',
  alarm: (name: string) => `/alarms/${encodeURIComponent(name)}`,
  canary: (name: string) => `/canaries/${encodeURIComponent(name)}`,
} as const;

/**
 * The Logs Insights console's default query for a log group (its fields and order), with a limit
 * that suits a page.
 */
export const DEFAULT_LOG_QUERY = [
  'fields @timestamp, @message, @logStream, @log',
  'sort @timestamp desc',
  'limit 100',
].join('\n| ');

/** The parameters of the `/logs` page. */
export const LOGS_PAGE_PARAMS = {
  query: 'query',
  /** Log group names, comma-separated (a log group name cannot hold a comma). */
  groups: 'groups',
  /** `-<seconds>` back from the simulated now (the console link's `start`), or an ISO 8601 time. */
  start: 'start',
  /** Same forms as `start`. @default now */
  end: 'end',
} as const;

export interface LogsPageLink {
  readonly query: string;
  readonly logGroups: readonly string[];
  readonly lookBackSeconds: number;
  /** The range's end (ms since the epoch); @default the monitor's now when the page opens */
  readonly endsAt?: number;
}

/** The `/logs` page that runs a query over log groups, as a path with its query string. */
export function logsPagePath(link: LogsPageLink): string {
  const params = new URLSearchParams();
  params.set(LOGS_PAGE_PARAMS.query, link.query);
  params.set(LOGS_PAGE_PARAMS.groups, link.logGroups.join(','));
  if (link.endsAt === undefined) {
    params.set(LOGS_PAGE_PARAMS.start, String(-link.lookBackSeconds));
  } else {
    const iso = (time: number) => new Date(time).toISOString();
    params.set(LOGS_PAGE_PARAMS.start, iso(link.endsAt - link.lookBackSeconds * 1000));
    params.set(LOGS_PAGE_PARAMS.end, iso(link.endsAt));
  }
  return `${MONITOR_PAGES.logs}?${params.toString()}`;
}

const THREE_HOURS = 3 * 3600;

/** `url` with `from` (an origin, maybe with a path) replaced by `to`, when it starts with it. */
function rebase(url: string, from: string, to: string): string | undefined {
  const base = from.replace(/\/+$/, '');
  if (!url.startsWith(base)) return undefined;
  const rest = url.slice(base.length);
  // `https://local.execute-api…com.evil.example` is another host.
  if (rest !== '' && !/^[/?#]/.test(rest)) return undefined;
  return `${to.replace(/\/+$/, '')}${rest}`;
}

/**
 * The local equivalent of `url`: a console link to the dashboard, an alarm, a canary, a log group
 * or a Logs Insights query opens the monitor's page for it; the stage's site and API (their AWS
 * stand-in URLs) open the local ones. Any other URL is returned unchanged.
 */
export function localLink(url: string, targets: LocalLinkTargets): string {
  const parsed = parseConsoleLink(url);
  const monitor = (path: string) => `${targets.monitorUrl}${path}`;
  // An anchored look-back reaches back from the alarm's moment and on to when it was written.
  const anchored = (lookBackSeconds: number) => {
    if (targets.anchoredAt === undefined) return { lookBackSeconds };
    const end = Math.max(targets.anchoredAt, targets.anchoredUntil ?? targets.anchoredAt);
    return { lookBackSeconds: lookBackSeconds + (end - targets.anchoredAt) / 1000, endsAt: end };
  };
  if (parsed !== undefined) {
    switch (parsed.kind) {
      case 'dashboard':
        return parsed.name === targets.dashboardName ? monitor(MONITOR_PAGES.dashboard) : url;
      case 'alarm':
        return monitor(MONITOR_PAGES.alarm(parsed.name));
      case 'canary':
        return monitor(MONITOR_PAGES.canary(parsed.name));
      case 'logGroup':
        return monitor(
          logsPagePath({
            query: DEFAULT_LOG_QUERY,
            logGroups: [parsed.name],
            ...anchored(THREE_HOURS),
          }),
        );
      case 'logsInsights':
        return monitor(logsPagePath({ ...parsed, ...anchored(parsed.lookBackSeconds) }));
    }
  }
  for (const site of ['websiteUrl', 'apiUrl'] as const) {
    const rebased = rebase(url, targets.awsUrls[site], targets.localUrls[site]);
    if (rebased !== undefined) return rebased;
  }
  return url;
}
