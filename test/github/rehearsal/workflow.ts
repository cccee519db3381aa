/**
 * The parts of the workflow syntax the rehearsal runs
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax), read
 * from YAML as written. Anything else a workflow says is refused by name, so that a new keyword
 * is noticed rather than silently ignored.
 */
import * as fs from 'node:fs';
import { parse } from 'yaml';

export type Permission = 'read' | 'write' | 'none';
export type Permissions = Readonly<Record<string, Permission>>;

export interface StepDefinition {
  readonly id?: string;
  readonly name?: string;
  readonly if?: string | boolean;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, unknown>>;
  readonly 'working-directory'?: string;
  readonly 'continue-on-error'?: boolean | string;
  readonly 'timeout-minutes'?: number | string;
}

export interface Concurrency {
  readonly group: string;
  readonly 'cancel-in-progress'?: boolean | string;
}

export interface JobDefinition {
  readonly name?: string;
  readonly needs?: string | readonly string[];
  readonly if?: string | boolean;
  readonly 'runs-on'?: string;
  readonly 'timeout-minutes'?: number | string;
  readonly environment?: string | { readonly name: string; readonly url?: string };
  readonly concurrency?: string | Concurrency;
  readonly permissions?: Permissions | 'read-all' | 'write-all';
  readonly env?: Readonly<Record<string, unknown>>;
  readonly defaults?: {
    readonly run?: { readonly shell?: string; readonly 'working-directory'?: string };
  };
  readonly outputs?: Readonly<Record<string, string>>;
  readonly steps?: readonly StepDefinition[];
  readonly uses?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly secrets?: 'inherit' | Readonly<Record<string, string>>;
}

export interface InputDefinition {
  readonly description?: string;
  readonly type?: 'string' | 'boolean' | 'number' | 'choice' | 'environment';
  readonly required?: boolean;
  readonly default?: unknown;
  readonly options?: readonly string[];
}

export interface WorkflowDefinition {
  readonly name?: string;
  readonly on: Readonly<Record<string, unknown>>;
  readonly permissions?: Permissions | 'read-all' | 'write-all';
  readonly env?: Readonly<Record<string, unknown>>;
  readonly concurrency?: string | Concurrency;
  readonly defaults?: JobDefinition['defaults'];
  readonly jobs: Readonly<Record<string, JobDefinition>>;
}

const KEYS = {
  workflow: ['name', 'run-name', 'on', 'permissions', 'env', 'concurrency', 'defaults', 'jobs'],
  job: [
    'name',
    'needs',
    'if',
    'runs-on',
    'timeout-minutes',
    'environment',
    'concurrency',
    'permissions',
    'env',
    'defaults',
    'outputs',
    'steps',
    'uses',
    'with',
    'secrets',
  ],
  step: [
    'id',
    'name',
    'if',
    'uses',
    'run',
    'shell',
    'with',
    'env',
    'working-directory',
    'continue-on-error',
    'timeout-minutes',
  ],
};

export class WorkflowError extends Error {}

function checkKeys(value: object, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new WorkflowError(
      `${where}: the rehearsal does not model ${unknown.map((k) => `'${k}'`).join(', ')}`,
    );
  }
}

export function readWorkflow(file: string): WorkflowDefinition {
  const written = parse(fs.readFileSync(file, 'utf8')) as WorkflowDefinition & { on: unknown };
  // `on: push` and `on: [push, pull_request]` are the short forms of the event map.
  const on =
    typeof written.on === 'string'
      ? { [written.on]: null }
      : Array.isArray(written.on)
        ? Object.fromEntries((written.on as string[]).map((event) => [event, null]))
        : (written.on as Record<string, unknown>);
  // A scalar is a string where the syntax wants one (`run: true` runs `true`).
  const jobs = Object.fromEntries(
    Object.entries(written.jobs).map(([id, job]) => [
      id,
      job.steps === undefined
        ? job
        : {
            ...job,
            steps: job.steps.map((step) => ({
              ...step,
              ...(step.run !== undefined ? { run: String(step.run) } : {}),
              ...(step.name !== undefined ? { name: String(step.name) } : {}),
            })),
          },
    ]),
  );
  const workflow: WorkflowDefinition = { ...written, on, jobs };
  checkKeys(workflow, KEYS.workflow, file);
  for (const [id, job] of Object.entries(workflow.jobs)) {
    checkKeys(job, KEYS.job, `${file}: jobs.${id}`);
    if ((job.steps === undefined) === (job.uses === undefined)) {
      throw new WorkflowError(`${file}: jobs.${id} needs either steps or uses`);
    }
    (job.steps ?? []).forEach((step, index) => {
      checkKeys(step, KEYS.step, `${file}: jobs.${id}.steps[${index}]`);
      if ((step.run === undefined) === (step.uses === undefined)) {
        throw new WorkflowError(`${file}: jobs.${id}.steps[${index}] needs either run or uses`);
      }
    });
  }
  return workflow;
}

export function needsOf(job: JobDefinition): string[] {
  return job.needs === undefined
    ? []
    : typeof job.needs === 'string'
      ? [job.needs]
      : [...job.needs];
}

/** The jobs in an order that runs each after its needs; throws on an unknown need or a cycle. */
export function jobOrder(workflow: WorkflowDefinition, file: string): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (id: string, from: string) => {
    if (order.includes(id)) return;
    if (!(id in workflow.jobs))
      throw new WorkflowError(`${file}: jobs.${from} needs '${id}', which does not exist`);
    if (visiting.has(id))
      throw new WorkflowError(`${file}: jobs.${id} is part of a dependency cycle`);
    visiting.add(id);
    for (const need of needsOf(workflow.jobs[id])) visit(need, id);
    visiting.delete(id);
    order.push(id);
  };
  for (const id of Object.keys(workflow.jobs)) visit(id, id);
  return order;
}

const SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
];
const RANK: Record<Permission, number> = { none: 0, read: 1, write: 2 };

/**
 * A job's GITHUB_TOKEN permissions: as written (unlisted scopes are none), `read-all`/`write-all`,
 * or the repository default when nothing says (the restricted default of a new repository:
 * contents and packages read, "Controlling permissions for GITHUB_TOKEN").
 */
export function resolvePermissions(
  written: WorkflowDefinition['permissions'] | undefined,
): Record<string, Permission> {
  if (written === 'read-all' || written === 'write-all') {
    return Object.fromEntries(
      SCOPES.map((scope) => [scope, written === 'read-all' ? 'read' : 'write']),
    );
  }
  if (written === undefined) return { contents: 'read', packages: 'read' };
  return Object.fromEntries(SCOPES.map((scope) => [scope, written[scope] ?? 'none']));
}

/**
 * The scopes a called workflow's job asks for beyond what its caller granted: "The GITHUB_TOKEN
 * permissions passed from the caller workflow can be only downgraded by the called workflow"
 * (Reusing workflows); GitHub refuses such a run before it starts.
 */
export function permissionsBeyond(
  asked: Record<string, Permission>,
  granted: Record<string, Permission>,
): string[] {
  return Object.entries(asked)
    .filter(([scope, level]) => RANK[level] > RANK[granted[scope] ?? 'none'])
    .map(
      ([scope, level]) =>
        `'${scope}: ${level}', but is only allowed '${scope}: ${granted[scope] ?? 'none'}'`,
    );
}
