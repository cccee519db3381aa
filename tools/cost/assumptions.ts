/**
 * What the estimates assume that neither the stack nor a price list says, each with its basis.
 * `npm run cost` prints them; `npm run bench` measures the ones this machine can measure beside
 * them (the handler's time and log bytes per request, each canary's run time locally).
 */
import type { CanaryName } from '../../contract/canaries';

export const ASSUMPTIONS = {
  /** AWS's own canary examples count a month as 30 days (every 5 minutes: 8,640 runs). */
  daysPerMonth: 30,
  /**
   * Billed seconds of one canary run. AWS bills the run's whole Lambda invocation: the runtime's
   * start, Chromium's for the website journey, the artifacts' upload, so these are well above the
   * journeys' own time (`npm run bench` measures that locally). Each extra second of an average
   * prod API run adds about $0.11 a month.
   */
  canaryRunSeconds: { api: 10, website: 20 } satisfies Record<CanaryName, number>,
  /** S3 requests of one run: its log, its report, the HAR file, a screenshot, the listing. */
  canaryS3RequestsPerRun: 5,
  /** Artifacts a run leaves: log and report; the website's HAR file (screenshots only of a failed step). */
  canaryArtifactBytesPerRun: { api: 10_000, website: 50_000 } satisfies Record<CanaryName, number>,
  /** What a run logs: the runtime's lines and every request's line with its correlation id. */
  canaryLogBytesPerRun: 10_000,
  /** Times a month someone opens or refreshes each stage's dashboard. */
  dashboardViewsPerMonth: 300,
  /**
   * Deploys a month of each stage, each sending the deploy alarm's metric in at most 2 clock hours
   * (its hold and its release): about three merges a working day.
   */
  deploysPerMonth: 60,
  deployMeteredHours: 2,
  /** Alarm state changes a month that send an email (to ALARM and back to OK). */
  alarmEmailsPerMonth: 20,
  /**
   * Billed duration of one API request at the function's memory (MESSAGES_FUNCTION in
   * contract/function.ts; `npm run bench` shows the local handler's).
   */
  handlerMs: 25,
  /** The function's JSON log lines of one request: the INFO summary, START, REPORT. */
  functionLogBytesPerRequest: 1_200,
  /** One access log line of the HTTP API. */
  accessLogBytesPerRequest: 350,
  /** One page view: HTML, CSS, script, favicon, config.json (gzip), and its requests. */
  pageBytes: 5_000,
  pageRequests: 5,
  /** One message item (id, text, createdAt); an Idempotency-Key record expires after 24 hours. */
  messageItemBytes: 200,
} as const;
