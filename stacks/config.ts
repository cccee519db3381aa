/** Everything that differs between stages lives here; constructs read it, never `process.env`. */

import type { CanaryName } from '../contract/canaries';
import { LOCAL_PORTS } from '../contract/local-ports';
import type { LogLevel } from '../contract/logs';
import type { CanarySchedule, LogRetentionDays } from '@monitored/cloudwatch-model';
import { namePrefix } from './shared/naming';

/**
 * The origins of `npm start`'s website on `port`: a browser sends the one in its address bar,
 * and both names of this machine are common, so both are admitted.
 */
export function localSiteOrigins(port: number): string[] {
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

export interface ApiThrottling {
  /** Requests a client burst may reach before API Gateway answers 429. */
  readonly burstLimit: number;
  /** Sustained requests per second. */
  readonly rateLimit: number;
}

export interface StageConfig {
  readonly stage: Stage;
  /** AWS region the whole stage deploys to. */
  readonly region: string;
  /** Start of every physical name of the stage (`msgs-dev`); physicalName (@monitored/cdktf-monitoring) checks each service's rules. */
  readonly namePrefix: string;
  /** Days CloudWatch keeps every log group of the stage. */
  readonly logRetentionDays: LogRetentionDays;
  /** Protects the table from `terraform destroy` and console deletes. */
  readonly deletionProtection: boolean;
  readonly apiThrottling: ApiThrottling;
  /**
   * Origins the API admits besides the stage's own website. dev admits `npm start`'s website, so that
   * `npm start -- --api-url <dev API>` works in a browser; prod admits nothing else.
   */
  readonly extraCorsOrigins: readonly string[];
  /**
   * One level for both Lambda's advanced logging controls and Powertools: Lambda's level wins
   * over Powertools' and drops anything below it, so two settings could only disagree silently.
   */
  readonly logLevel: LogLevel;
  /**
   * Share of invocations that log at DEBUG. Lambda drops DEBUG lines unless `logLevel` is DEBUG,
   * so a rate above 0 requires it (the `lambda-log-level` rule enforces this).
   */
  readonly debugSampleRate: number;
  /** Who is emailed when a canary fails. */
  readonly alertEmails: readonly string[];
  /** When each canary runs, how often it retries, how long and with how much memory (README, "Canaries"). */
  readonly canaries: Readonly<Record<CanaryName, CanarySchedule>>;
  /**
   * Alarms on the services (API 5xx rate, function errors, throttles and duration, table throttles
   * and system errors, CloudFront 5xx rate) besides the canaries' own. Off in dev: its only
   * traffic is the canaries and the people testing, whose failures the journey alarms already
   * catch, and its monitoring budget ($3 a month) does not cover eight more alarms and a second
   * region's key for CloudFront's.
   */
  readonly serviceAlarms: boolean;
}

/** What a deployer may set from outside; `main.ts` reads it from the environment. */
export interface DeployerSettings {
  readonly alertEmails: Readonly<Record<Stage, readonly string[]>>;
}

/**
 * A deployer setting that cannot be used, said in one line that names the variable and the value
 * (quoted as JSON, so a newline or control character in it cannot break the line). Whoever runs
 * the app prints the message alone: a stack trace would only hide it.
 */
export class ConfigError extends Error {
  constructor(variable: string, value: string, expected: string) {
    super(`${variable}: ${JSON.stringify(value)} is not ${expected}`);
    this.name = 'ConfigError';
  }
}

const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

/** Parses a comma-separated list of email addresses; throws a ConfigError naming the first invalid one. */
export function parseEmailList(raw: string | undefined, variable: string): string[] {
  const emails = (raw ?? '')
    .split(',')
    .map((email) => email.trim())
    .filter((email) => email.length > 0);
  const invalid = emails.find((email) => !EMAIL.test(email));
  if (invalid !== undefined) {
    throw new ConfigError(variable, invalid, 'an email address (expected a comma-separated list)');
  }
  return emails;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a `YYYY-MM-DD` day as its midnight UTC; undefined when unset; throws a ConfigError. */
export function parseDay(raw: string | undefined, variable: string): Date | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const day = raw.trim();
  const date = new Date(`${day}T00:00:00Z`);
  // The round trip refuses days that Date would roll over, such as 2027-02-30.
  if (!ISO_DAY.test(day) || Number.isNaN(date.getTime()) || !date.toISOString().startsWith(day)) {
    throw new ConfigError(variable, raw, 'a day (expected YYYY-MM-DD)');
  }
  return date;
}

/**
 * What every stage's canaries share: one retry, so that one lost run does not page anyone; a
 * timeout well inside the shortest interval; the least memory Synthetics allows. The API journey's
 * 30 s is ten times a slow run on AWS, and short enough that a hanging API (each request gives up
 * at 10 s) still pages within 10 minutes in prod: the worst case counts the run and its retry at
 * their full timeouts.
 */
const CANARY_RUN = {
  api: { maxRetries: 1, timeoutSeconds: 30, memoryMb: 960 },
  website: { maxRetries: 1, timeoutSeconds: 120, memoryMb: 960 },
} as const satisfies Record<CanaryName, Omit<CanarySchedule, 'expression'>>;

export function stageConfigs(settings: DeployerSettings): Record<Stage, StageConfig> {
  return {
    dev: {
      stage: 'dev',
      region: 'us-west-2',
      namePrefix: namePrefix('dev'),
      logRetentionDays: 7,
      deletionProtection: false,
      apiThrottling: { burstLimit: 20, rateLimit: 10 },
      extraCorsOrigins: localSiteOrigins(LOCAL_PORTS.website),
      logLevel: 'DEBUG',
      debugSampleRate: 0,
      alertEmails: settings.alertEmails.dev,
      serviceAlarms: false,
      // Every 2 and 12 hours: a rate goes up to 1 hour only, so these are crons.
      canaries: {
        api: { expression: 'cron(0 0/2 * * ? *)', ...CANARY_RUN.api },
        website: { expression: 'cron(30 0/12 * * ? *)', ...CANARY_RUN.website },
      },
    },
    prod: {
      stage: 'prod',
      region: 'us-east-1',
      namePrefix: namePrefix('prod'),
      logRetentionDays: 30,
      deletionProtection: true,
      apiThrottling: { burstLimit: 100, rateLimit: 50 },
      extraCorsOrigins: [],
      logLevel: 'INFO',
      debugSampleRate: 0,
      alertEmails: settings.alertEmails.prod,
      serviceAlarms: true,
      canaries: {
        api: { expression: 'rate(6 minutes)', ...CANARY_RUN.api },
        website: { expression: 'rate(1 hour)', ...CANARY_RUN.website },
      },
    },
  };
}
