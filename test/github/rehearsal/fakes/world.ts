/**
 * The fake world a rehearsal deploys into: one folder that the fake `aws`, `terraform` and `gh`
 * read and write, and the tests inspect. Plain files, so that a person can look into it.
 *
 *   calls.jsonl                     every call of a fake, in order, with when it ended
 *   clock.json                      how far the world's clock is ahead of this machine's
 *   aws/s3/<bucket>/<key>           S3 objects (the state bucket: state and lock objects)
 *   aws/cloudwatch/<region>.json    alarms (as created, with their rule) and metric data put
 *   aws/iam/roles.json              the deploy roles and the `sub`/`aud` their trust accepts
 *   aws/sts/sessions.json           credentials handed out by AssumeRoleWithWebIdentity
 *   github/settings.json            the repository: visibility, plan, environments, origin
 *   scenario.json                   what the scenario decides: stack output values, faults
 *
 * No versioning of S3 objects and no eventual consistency: a rehearsal needs neither.
 *
 * The world's clock is this machine's, moved ahead only by a test (advanceClock): what AWS does
 * by itself as time passes (an alarm evaluated every minute, a hold that ends after 2 hours) is
 * read at the world's time. The scripts a rehearsal runs stamp their data with this machine's
 * clock: move the world's minutes ahead between runs, and hours ahead only after a world's last
 * run (a hold taken after that would be stamped hours in the world's past).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MetricAlarmDefinition } from '@monitored/cloudwatch-model';

export interface Call {
  readonly tool: 'aws' | 'terraform' | 'gh';
  readonly args: readonly string[];
  readonly cwd: string;
  /** The role whose credentials the call carried (aws, terraform), if any. */
  readonly role?: string;
  readonly exitCode: number;
  /** When it ended, by the world's clock. */
  readonly at: number;
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface Alarm {
  readonly name: string;
  readonly kind: 'metric' | 'composite';
  /** By the world's clock: an alarm is evaluated from the first minute after. */
  readonly createdAt: number;
  /** Its state when created (INSUFFICIENT_DATA), until its data says otherwise. */
  readonly state: AlarmState;
  readonly reason: string;
  /** A metric alarm's rule as Terraform created it (the stack's declaration, read back). */
  readonly rule?: MetricAlarmDefinition;
}

/** One value of a PutMetricData request. */
export interface MetricDatum {
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
  readonly unit: string;
  /** The datum's Timestamp, ms since the epoch (the time of receipt when it gave none). */
  readonly timestamp: number;
}

/** One PutMetricData request, as the fake account received it. */
export interface MetricDataPut {
  readonly namespace: string;
  readonly data: readonly MetricDatum[];
  /** By the world's clock. */
  readonly receivedAt: number;
  /** The role (or user) whose credentials sent it. */
  readonly sentBy: string;
}

export interface CloudWatchRegion {
  alarms: Record<string, Alarm>;
  metricPuts: MetricDataPut[];
}

export interface Role {
  /** The exact `token.actions.githubusercontent.com:sub` the trust policy accepts (StringEquals). */
  readonly subject: string;
  readonly audience: string;
}

export interface Session {
  readonly role: string;
  readonly sessionName: string;
  readonly subject: string;
}

export type Plan = 'free' | 'pro' | 'team' | 'enterprise';

export interface EnvironmentSettings {
  /** Who must approve a job in this environment. */
  readonly reviewers?: readonly string[];
  /** Deployment branches: only these refs' jobs may run in the environment. */
  readonly branches?: readonly string[];
}

export interface GithubSettings {
  readonly repository: string;
  readonly visibility: 'public' | 'private';
  readonly plan: Plan;
  readonly environments: Readonly<Record<string, EnvironmentSettings>>;
  /** The bare repository standing in for github.com's copy. */
  readonly origin: string;
}

/** A fault a scenario plants in `terraform apply`. */
export interface ApplyFault {
  readonly stack: string;
  /** Fail when reaching the first resource of this type, after those before it were created. */
  readonly failAtType: string;
  /** Fail (the AWS error Terraform prints), or hang there with the lock held, as a killed runner would. */
  readonly kind: 'error' | 'hang';
  readonly error?: string;
}

export interface Scenario {
  /** Values of stack outputs, by stack then output name; any other output gets a made-up value. */
  readonly outputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly applyFaults: readonly ApplyFault[];
}

export class World {
  constructor(readonly root: string) {}

  static create(root: string, github: GithubSettings): World {
    const world = new World(root);
    fs.mkdirSync(path.join(root, 'aws', 's3'), { recursive: true });
    world.writeJson('github/settings.json', github);
    world.writeJson('aws/iam/roles.json', {});
    world.writeJson('aws/sts/sessions.json', {});
    world.writeJson('scenario.json', { outputs: {}, applyFaults: [] } satisfies Scenario);
    fs.writeFileSync(path.join(root, 'calls.jsonl'), '');
    return world;
  }

  // The clock

  /** The world's time: this machine's, plus however far a test moved it ahead. */
  now(): number {
    return Date.now() + this.readJson<{ aheadMs: number }>('clock.json', { aheadMs: 0 }).aheadMs;
  }

  /** Moves the world's clock ahead by `ms` (never back: time in the fake account only passes). */
  advanceClock(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`the world's clock only moves ahead, not by ${ms} ms`);
    const { aheadMs } = this.readJson<{ aheadMs: number }>('clock.json', { aheadMs: 0 });
    this.writeJson('clock.json', { aheadMs: aheadMs + ms });
  }

  /** Moves the world's clock ahead to `time`. */
  advanceClockTo(time: number): void {
    this.advanceClock(time - this.now());
  }

  file(relative: string): string {
    return path.join(this.root, relative);
  }

  readJson<T>(relative: string, fallback?: T): T {
    const file = this.file(relative);
    if (!fs.existsSync(file)) {
      if (fallback !== undefined) return fallback;
      throw new Error(`The fake world has no ${relative}`);
    }
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  }

  writeJson(relative: string, value: unknown): void {
    const file = this.file(relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
    fs.renameSync(`${file}.tmp`, file);
  }

  record(call: Call): void {
    fs.appendFileSync(this.file('calls.jsonl'), `${JSON.stringify(call)}\n`);
  }

  calls(tool?: Call['tool']): Call[] {
    return fs
      .readFileSync(this.file('calls.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Call)
      .filter((call) => tool === undefined || call.tool === tool);
  }

  get github(): GithubSettings {
    return this.readJson<GithubSettings>('github/settings.json');
  }

  get scenario(): Scenario {
    return this.readJson<Scenario>('scenario.json');
  }

  setScenario(change: Partial<Scenario>): void {
    this.writeJson('scenario.json', { ...this.scenario, ...change });
  }

  // S3

  bucketDir(bucket: string): string {
    return this.file(path.join('aws', 's3', bucket));
  }

  createBucket(bucket: string): void {
    fs.mkdirSync(this.bucketDir(bucket), { recursive: true });
  }

  hasBucket(bucket: string): boolean {
    return fs.existsSync(this.bucketDir(bucket));
  }

  private objectFile(bucket: string, key: string): string {
    const file = path.resolve(this.bucketDir(bucket), key);
    if (!file.startsWith(`${this.bucketDir(bucket)}${path.sep}`)) throw new Error(`Bad key ${key}`);
    return file;
  }

  getObject(bucket: string, key: string): string | undefined {
    const file = this.objectFile(bucket, key);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  }

  putObject(bucket: string, key: string, body: string): void {
    const file = this.objectFile(bucket, key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
  }

  deleteObject(bucket: string, key: string): void {
    fs.rmSync(this.objectFile(bucket, key), { force: true });
  }

  listObjects(bucket: string): string[] {
    const root = this.bucketDir(bucket);
    if (!fs.existsSync(root)) return [];
    return (fs.readdirSync(root, { recursive: true }) as string[])
      .filter((entry) => fs.statSync(path.join(root, entry)).isFile())
      .map((entry) => entry.split(path.sep).join('/'))
      .sort();
  }

  // CloudWatch

  cloudwatch(region: string): CloudWatchRegion {
    return this.readJson<CloudWatchRegion>(`aws/cloudwatch/${region}.json`, {
      alarms: {},
      metricPuts: [],
    });
  }

  saveCloudwatch(region: string, data: CloudWatchRegion): void {
    this.writeJson(`aws/cloudwatch/${region}.json`, data);
  }

  alarm(region: string, name: string): Alarm | undefined {
    return this.cloudwatch(region).alarms[name];
  }

  // GitHub tokens: each job's GITHUB_TOKEN and the permissions it carries.

  addToken(token: string, permissions: Readonly<Record<string, string>>): void {
    this.writeJson('github/tokens.json', { ...this.tokens(), [token]: permissions });
  }

  tokens(): Record<string, Record<string, string>> {
    return this.readJson<Record<string, Record<string, string>>>('github/tokens.json', {});
  }

  // IAM and STS

  addRole(arn: string, role: Role): void {
    this.writeJson('aws/iam/roles.json', { ...this.roles(), [arn]: role });
  }

  roles(): Record<string, Role> {
    return this.readJson<Record<string, Role>>('aws/iam/roles.json', {});
  }

  sessions(): Record<string, Session> {
    return this.readJson<Record<string, Session>>('aws/sts/sessions.json', {});
  }

  addSession(accessKeyId: string, session: Session): void {
    this.writeJson('aws/sts/sessions.json', { ...this.sessions(), [accessKeyId]: session });
  }

  /** The session of the credentials in `env`, or why they are none (the error AWS would give). */
  session(env: NodeJS.ProcessEnv): Session | { error: string; code: number } {
    const key = env.AWS_ACCESS_KEY_ID;
    if (key === undefined || key === '' || (env.AWS_SECRET_ACCESS_KEY ?? '') === '') {
      return {
        code: 253,
        error:
          'Unable to locate credentials. You can configure credentials by running "aws configure".',
      };
    }
    const session = this.sessions()[key];
    if (session === undefined) {
      return {
        code: 254,
        error:
          'An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.',
      };
    }
    return session;
  }
}

/** The account the fake deploy roles live in (any twelve digits do). */
export const FAKE_ACCOUNT = '123456789012';
