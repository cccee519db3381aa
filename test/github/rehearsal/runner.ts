/**
 * Runs a workflow's jobs here the way GitHub's hosted runner runs them, with the fakes of
 * fakes/ standing in for AWS and GitHub's API:
 *
 * - each job on a fresh "machine": an empty workspace and RUNNER_TEMP, the default environment
 *   variables of the Variables reference
 *   (https://docs.github.com/en/actions/reference/workflows-and-actions/variables), nothing of
 *   this process's environment but PATH, HOME and the locale;
 * - each `run:` step as a script file run by its shell as the workflow syntax says: no `shell` is
 *   `bash -e {0}`, `shell: bash` is `bash --noprofile --norc -eo pipefail {0}`, `sh` is
 *   `sh -e {0}`; in GITHUB_WORKSPACE (or its working-directory); with fresh GITHUB_OUTPUT,
 *   GITHUB_ENV, GITHUB_PATH and GITHUB_STEP_SUMMARY files, read back after it (file-commands.ts);
 * - `${{ }}` and `if:` as expressions.ts evaluates them, with the contexts each key allows;
 * - `needs`, job `if`, reusable workflows (`workflow_call` inputs, outputs, the permissions a
 *   called job may not exceed), `environment` (its protection rules as the repository's plan
 *   enforces them, and the OIDC subject it gives the job), `concurrency` groups (recorded; a
 *   called workflow asking for a group its caller holds is GitHub's deadlock);
 * - each `uses:` by a stand-in of actions.ts; a `run:` step a scenario names by a marked stand-in.
 *
 * Jobs run one after another (GitHub runs independent jobs at once; nothing here depends on it).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACTIONS, ActionFailure, type ActionContext } from './actions';
import {
  CONTEXTS,
  evaluateCondition,
  evaluateTemplate,
  ExpressionError,
  interpolate,
  toText,
  truthy,
  type Scope,
  type StatusFunctions,
  type Value,
} from './expressions';
import type { Fakes } from './fakes/install';
import { environmentsAvailable, reviewersAvailable } from './fakes/gh';
import type { World } from './fakes/world';
import {
  annotationsIn,
  checkEnvName,
  FileCommandError,
  parseKeyValueFile,
  parsePathFile,
  type Annotation,
} from './file-commands';
import {
  jobOrder,
  needsOf,
  permissionsBeyond,
  readWorkflow,
  resolvePermissions,
  WorkflowError,
  type Concurrency,
  type JobDefinition,
  type Permission,
  type StepDefinition,
  type WorkflowDefinition,
} from './workflow';

export type Result = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface StepRun {
  readonly name: string;
  readonly id?: string;
  readonly outcome: Result;
  readonly conclusion: Result;
  readonly output: string;
  /** Why a stand-in ran instead of the step as written, when one did. */
  readonly standIn?: string;
  readonly durationMs?: number;
}

export interface JobRun {
  /** `caller-job/called-job` for the jobs of a reusable workflow. */
  readonly path: string;
  readonly name: string;
  readonly result: Result;
  readonly steps: StepRun[];
  readonly outputs: Record<string, string>;
  readonly environment?: { name: string; url?: string; approvedBy?: string };
  readonly concurrency?: { group: string; cancelInProgress: boolean };
  readonly permissions?: Record<string, Permission>;
  /** Why the job ended early: the runner lost, a protection rule, a rejection. */
  readonly message?: string;
}

export interface WorkflowRun {
  readonly conclusion: 'success' | 'failure' | 'startup_failure';
  readonly startupError?: string;
  readonly jobs: JobRun[];
  readonly annotations: (Annotation & { job: string; step: string })[];
  /** What GitHub would do that the rehearsal did differently (versions, unmodelled inputs). */
  readonly notes: string[];
  readonly summaries: string[];
  readonly artifacts: string;
  readonly workflowConcurrency: string[];
  job(pathOrId: string): JobRun;
  step(job: string, name: string): StepRun;
  /** Each failed step with the end of its output: what a test prints when a run should pass. */
  failures(): string[];
}

/**
 * A step that runs the whole test suite. The suite contains the rehearsals, so run inside one it
 * would start rehearsals of its own, each running the suite again: such a step runs only with a
 * stand-in (setup.ts STAND_INS.testSuite), and fails otherwise.
 */
export const WHOLE_SUITE = /\bnpm (run )?test\b|\bjest\b/;

/** A `run:` step replaced for the rehearsal (the whole test suite, npm ci): said in the run. */
export interface StandIn {
  readonly reason: string;
  readonly matches: (run: string) => boolean;
  readonly replace: (run: string) => string;
}

export interface RehearsalEvent {
  readonly name: 'push' | 'pull_request' | 'workflow_dispatch';
  readonly ref: string;
  readonly sha: string;
  readonly inputs?: Readonly<Record<string, string | boolean>>;
  readonly actor?: string;
}

export interface RehearsalOptions {
  readonly workflowsDir: string;
  readonly world: World;
  readonly fakes: Fakes;
  /** Where the jobs' runner folders go. */
  readonly workRoot: string;
  readonly event: RehearsalEvent;
  readonly vars?: Readonly<Record<string, string>>;
  readonly standIns?: readonly StandIn[];
  /** What a reviewer answers for each environment with required reviewers. */
  readonly approvals?: Readonly<Record<string, 'approve' | 'reject'>>;
  /** Loses the runner of `job` (its path) in step `step` once `when` holds: no step runs after. */
  readonly loseRunner?: {
    readonly job: string;
    readonly step: string;
    readonly when: () => boolean;
  };
  /** A run number, for GITHUB_RUN_ID and the folders. */
  readonly runNumber?: number;
  /**
   * Runs a reusable workflow as a caller job would call it, with these inputs and the caller
   * job's permissions (GitHub runs one only from a caller; the rehearsal may start there).
   */
  readonly call?: {
    readonly inputs: Readonly<Record<string, Value>>;
    readonly permissions: Readonly<Record<string, Permission>>;
  };
}

/** A step that failed with `output`; the step's id and name in `label`. */
function failedStep(
  label: Pick<StepRun, 'name' | 'id' | 'standIn'>,
  output: string,
  outputs: Record<string, string> = {},
): { run: StepRun; outputs: Record<string, string> } {
  return { run: { ...label, outcome: 'failure', conclusion: 'failure', output }, outputs };
}

/** What a job leaves for the jobs that need it. */
interface JobOutcome {
  readonly result: Result;
  readonly outputs: Record<string, string>;
}

/** The variables this process passes to steps: what a runner image has, nothing of the test's. */
const PASSED_THROUGH = ['HOME', 'LANG', 'LC_ALL', 'JAVA_HOME', 'TZ'];

class StartupFailure extends Error {}

interface CallDeclaration {
  readonly inputs?: Record<string, { type?: string; required?: boolean; default?: unknown }>;
  readonly outputs?: Record<string, { value: string }>;
}

interface CallFrame {
  readonly file: string;
  readonly workflow: WorkflowDefinition;
  readonly inputs: Record<string, Value>;
  readonly ceiling?: Record<string, Permission>;
  /** Concurrency groups held by the callers (the workflow's, the calling job's). */
  readonly held: readonly string[];
  readonly prefix: string;
}

class Rehearsal {
  readonly jobs: JobRun[] = [];
  readonly annotations: WorkflowRun['annotations'] = [];
  readonly notes: string[] = [];
  readonly summaries: string[] = [];
  readonly workflowConcurrency: string[] = [];
  readonly runId: string;
  readonly root: string;
  readonly artifacts: string;
  readonly github: Record<string, Value>;
  readonly vars: Record<string, Value>;

  constructor(readonly options: RehearsalOptions) {
    const number = options.runNumber ?? 1;
    this.runId = String(7_000_000_000 + number);
    this.root = path.join(options.workRoot, `run-${number}`);
    this.artifacts = path.join(this.root, 'artifacts');
    fs.mkdirSync(this.artifacts, { recursive: true });
    const settings = options.world.github;
    const { event } = options;
    const [owner] = settings.repository.split('/');
    const refName = event.ref.replace(/^refs\/(heads|tags)\//, '');
    this.github = {
      action: '',
      actor: event.actor ?? 'octocat',
      api_url: 'https://api.github.com',
      base_ref: event.name === 'pull_request' ? 'main' : '',
      event_name: event.name,
      event:
        event.name === 'workflow_dispatch'
          ? {
              inputs: Object.fromEntries(
                Object.entries(event.inputs ?? {}).map(([k, v]) => [k, String(v)]),
              ),
            }
          : event.name === 'pull_request'
            ? { number: 1, pull_request: { head: { ref: 'feature' }, base: { ref: 'main' } } }
            : { ref: event.ref, after: event.sha },
      graphql_url: 'https://api.github.com/graphql',
      head_ref: event.name === 'pull_request' ? 'feature' : '',
      ref: event.ref,
      ref_name:
        event.name === 'pull_request'
          ? `${/refs\/pull\/(\d+)/.exec(event.ref)?.[1] ?? '1'}/merge`
          : refName,
      ref_type: event.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      repository: settings.repository,
      repository_owner: owner,
      run_attempt: '1',
      run_id: this.runId,
      run_number: String(number),
      server_url: 'https://github.com',
      sha: event.sha,
      workflow: '',
      workspace: '',
    };
    this.vars = { ...(options.vars ?? {}) };
  }

  // Workflows

  async runTopLevel(file: string): Promise<void> {
    const workflow = readWorkflow(file);
    const call = this.options.call;
    if (call !== undefined) {
      // As a caller job with these inputs and permissions would run it.
      if (!('workflow_call' in workflow.on)) {
        throw new StartupFailure(
          `${path.basename(file)} cannot be called: it has no workflow_call trigger`,
        );
      }
      this.github.workflow = 'caller';
      const inputs = this.callInputs(
        (workflow.on.workflow_call ?? {}) as CallDeclaration,
        { ...call.inputs },
        'caller',
        path.basename(file),
      );
      const held = this.workflowGroup(workflow, inputs, []);
      await this.runJobs({
        file,
        workflow,
        inputs,
        ceiling: resolvePermissions(call.permissions),
        held,
        prefix: '',
      });
      return;
    }
    const triggers = Object.keys(workflow.on);
    if (!triggers.includes(this.options.event.name)) {
      throw new StartupFailure(
        `${path.basename(file)} does not run on ${this.options.event.name} (it runs on ${triggers.join(', ')})`,
      );
    }
    this.github.workflow = workflow.name ?? `.github/workflows/${path.basename(file)}`;
    const inputs = this.dispatchInputs(workflow, file);
    const held = this.workflowGroup(workflow, inputs, []);
    await this.runJobs({ file, workflow, inputs, held, prefix: '' });
  }

  private dispatchInputs(workflow: WorkflowDefinition, file: string): Record<string, Value> {
    if (this.options.event.name !== 'workflow_dispatch') return {};
    const declared =
      (
        workflow.on.workflow_dispatch as {
          inputs?: Record<
            string,
            { type?: string; required?: boolean; default?: unknown; options?: string[] }
          >;
        } | null
      )?.inputs ?? {};
    const given = this.options.event.inputs ?? {};
    const inputs: Record<string, Value> = {};
    for (const name of Object.keys(given)) {
      if (!(name in declared))
        throw new StartupFailure(`${path.basename(file)}: unexpected input '${name}'`);
    }
    for (const [name, spec] of Object.entries(declared)) {
      const value = given[name] ?? (spec.default as string | boolean | undefined);
      if (value === undefined || value === '') {
        if (spec.required)
          throw new StartupFailure(`${path.basename(file)}: input '${name}' is required`);
        inputs[name] = spec.type === 'boolean' ? false : '';
        continue;
      }
      if (spec.type === 'choice' && !(spec.options ?? []).includes(String(value))) {
        throw new StartupFailure(
          `${path.basename(file)}: '${String(value)}' is not one of ${(spec.options ?? []).join(', ')} for input '${name}'`,
        );
      }
      inputs[name] = spec.type === 'boolean' ? value === true || value === 'true' : String(value);
    }
    return inputs;
  }

  private workflowGroup(
    workflow: WorkflowDefinition,
    inputs: Record<string, Value>,
    held: readonly string[],
  ): string[] {
    if (workflow.concurrency === undefined) return [...held];
    const group = this.concurrencyGroup(workflow.concurrency, {
      contexts: { github: this.github, inputs, vars: this.vars },
      allowed: CONTEXTS.workflowConcurrency,
      where: 'concurrency',
    });
    this.checkDeadlock(group, held, 'a top level workflow');
    this.workflowConcurrency.push(group);
    return [...held, group];
  }

  private concurrencyGroup(concurrency: string | Concurrency, scope: Scope): string {
    return interpolate(typeof concurrency === 'string' ? concurrency : concurrency.group, scope);
  }

  /** "Canceling since a deadlock was detected for concurrency group: 'X' between a top level workflow and 'Y'". */
  private checkDeadlock(group: string, held: readonly string[], what: string): void {
    if (held.some((h) => h.toLowerCase() === group.toLowerCase())) {
      throw new StartupFailure(
        `Canceling since a deadlock was detected for concurrency group: '${group}' between ${what} and a caller that holds it`,
      );
    }
  }

  private async runJobs(frame: CallFrame): Promise<Map<string, JobOutcome>> {
    const outcomes = new Map<string, JobOutcome>();
    const ancestors = (id: string): string[] => {
      const direct = needsOf(frame.workflow.jobs[id]);
      return [...new Set([...direct, ...direct.flatMap(ancestors)])];
    };
    for (const id of jobOrder(frame.workflow, frame.file)) {
      const job = frame.workflow.jobs[id];
      const jobPath = `${frame.prefix}${id}`;
      const needs = Object.fromEntries(
        needsOf(job).map((need) => {
          const outcome = outcomes.get(need) as JobOutcome;
          return [need, { result: outcome.result, outputs: outcome.outputs }];
        }),
      );
      const before = ancestors(id).map((need) => (outcomes.get(need) as JobOutcome).result);
      const status: StatusFunctions = {
        success: () => before.every((result) => result === 'success'),
        failure: () => before.some((result) => result === 'failure'),
        cancelled: () => before.some((result) => result === 'cancelled'),
      };
      const base = { github: this.github, needs, vars: this.vars, inputs: frame.inputs };
      const runs = evaluateCondition(job.if, {
        contexts: base,
        allowed: CONTEXTS.jobIf,
        status,
        where: `${jobPath}.if`,
      });
      if (!runs) {
        this.jobs.push({
          path: jobPath,
          name: job.name ?? id,
          result: 'skipped',
          steps: [],
          outputs: {},
        });
        outcomes.set(id, { result: 'skipped', outputs: {} });
        continue;
      }
      const name = interpolate(job.name ?? id, {
        contexts: base,
        allowed: CONTEXTS.jobName,
        where: `${jobPath}.name`,
      });
      const outcome =
        job.uses !== undefined
          ? await this.runCall(frame, id, job, base)
          : await this.runJob(frame, id, name, job, base);
      outcomes.set(id, outcome);
    }
    return outcomes;
  }

  private permissionsFor(
    frame: CallFrame,
    id: string,
    job: JobDefinition,
  ): Record<string, Permission> {
    const asked = resolvePermissions(job.permissions ?? frame.workflow.permissions);
    if (frame.ceiling === undefined) return asked;
    const written = job.permissions ?? frame.workflow.permissions;
    const effective = written === undefined ? { ...frame.ceiling } : asked;
    const beyond = permissionsBeyond(effective, frame.ceiling);
    if (beyond.length > 0) {
      throw new StartupFailure(
        `${path.basename(frame.file)}: the nested job '${id}' is requesting ${beyond.join('; ')}`,
      );
    }
    return effective;
  }

  /** A called workflow's inputs: the given ones checked against its declaration, defaults added. */
  private callInputs(
    declaration: CallDeclaration,
    given: Record<string, Value>,
    where: string,
    uses: string,
  ): Record<string, Value> {
    const inputs: Record<string, Value> = {};
    for (const name of Object.keys(given)) {
      if (!(name in (declaration.inputs ?? {}))) {
        throw new StartupFailure(
          `${where}: Invalid input, ${name} is not defined in the referenced workflow.`,
        );
      }
    }
    for (const [name, spec] of Object.entries(declaration.inputs ?? {})) {
      let value = given[name];
      if (value === undefined) {
        if (spec.required)
          throw new StartupFailure(
            `${where}: Input ${name} is required, but not provided while calling.`,
          );
        value = evaluateTemplate(
          spec.default ?? (spec.type === 'boolean' ? false : spec.type === 'number' ? 0 : ''),
          {
            contexts: { github: this.github, inputs: given, vars: this.vars },
            allowed: CONTEXTS.callInputDefault,
            where: `${uses} inputs.${name}.default`,
          },
        );
      }
      const type = spec.type ?? 'string';
      const actual = value === null ? 'null' : typeof value;
      if (
        (type === 'boolean' && actual !== 'boolean') ||
        (type === 'number' && actual !== 'number')
      ) {
        throw new StartupFailure(
          `${where}: input ${name} of ${uses} is a ${type}, given ${JSON.stringify(value)}`,
        );
      }
      inputs[name] = type === 'string' ? toText(value) : value;
    }
    return inputs;
  }

  private async runCall(
    frame: CallFrame,
    id: string,
    job: JobDefinition,
    base: Record<string, Value>,
  ): Promise<JobOutcome> {
    const uses = job.uses ?? '';
    const match = /^\.\/\.github\/workflows\/([\w.-]+\.ya?ml)$/.exec(uses);
    if (match === null)
      throw new StartupFailure(
        `jobs.${id}: the rehearsal runs local reusable workflows only, not ${uses}`,
      );
    const file = path.join(this.options.workflowsDir, match[1]);
    if (!fs.existsSync(file)) throw new StartupFailure(`jobs.${id}: ${uses} does not exist`);
    const called = readWorkflow(file);
    if (!('workflow_call' in called.on)) {
      throw new StartupFailure(
        `jobs.${id}: ${uses} cannot be called: it has no workflow_call trigger`,
      );
    }
    const declaration = (called.on.workflow_call ?? {}) as CallDeclaration;
    const scope: Scope = { contexts: base, allowed: CONTEXTS.jobWith, where: `jobs.${id}.with` };
    const given = Object.fromEntries(
      Object.entries(job.with ?? {}).map(([k, v]) => [k, evaluateTemplate(v, scope)]),
    );
    const inputs = this.callInputs(declaration, given, `jobs.${id}`, uses);
    const ceiling = this.permissionsFor(frame, id, job);
    const held = [...frame.held];
    if (job.concurrency !== undefined) {
      const group = this.concurrencyGroup(job.concurrency, {
        contexts: base,
        allowed: CONTEXTS.jobConcurrency,
        where: `jobs.${id}.concurrency`,
      });
      this.checkDeadlock(group, held, `'${id}'`);
      held.push(group);
    }
    const calledHeld = this.workflowGroup(called, inputs, held);
    const outcomes = await this.runJobs({
      file,
      workflow: called,
      inputs,
      ceiling,
      held: calledHeld,
      prefix: `${frame.prefix}${id}/`,
    });
    const results = [...outcomes.values()].map((o) => o.result);
    const result: Result = results.includes('failure')
      ? 'failure'
      : results.includes('cancelled')
        ? 'cancelled'
        : 'success';
    const jobsContext = Object.fromEntries(
      [...outcomes].map(([jobId, o]) => [jobId, { result: o.result, outputs: o.outputs }]),
    );
    const outputs = Object.fromEntries(
      Object.entries(declaration.outputs ?? {}).map(([name, output]) => [
        name,
        interpolate(output.value, {
          contexts: { github: this.github, jobs: jobsContext, vars: this.vars, inputs },
          allowed: CONTEXTS.callOutputValue,
          where: `${uses} outputs.${name}`,
        }),
      ]),
    );
    return { result, outputs };
  }

  // Jobs

  private async runJob(
    frame: CallFrame,
    id: string,
    name: string,
    job: JobDefinition,
    base: Record<string, Value>,
  ): Promise<JobOutcome> {
    const jobPath = `${frame.prefix}${id}`;
    const permissions = this.permissionsFor(frame, id, job);
    const settings = this.options.world.github;
    const environmentName =
      job.environment === undefined
        ? undefined
        : interpolate(
            typeof job.environment === 'string' ? job.environment : job.environment.name,
            {
              contexts: base,
              allowed: CONTEXTS.jobEnvironment,
              where: `${jobPath}.environment`,
            },
          );
    let concurrency: JobRun['concurrency'];
    if (job.concurrency !== undefined) {
      const scope: Scope = {
        contexts: base,
        allowed: CONTEXTS.jobConcurrency,
        where: `${jobPath}.concurrency`,
      };
      const group = this.concurrencyGroup(job.concurrency, scope);
      this.checkDeadlock(group, frame.held, `'${id}'`);
      const cancel =
        typeof job.concurrency === 'string'
          ? false
          : truthy(evaluateTemplate(job.concurrency['cancel-in-progress'] ?? false, scope));
      concurrency = { group, cancelInProgress: cancel };
    }
    const record = (result: Result, extra: Partial<JobRun> = {}): JobOutcome => {
      this.jobs.push({
        path: jobPath,
        name,
        result,
        steps: [],
        outputs: {},
        permissions,
        concurrency,
        ...extra,
      });
      return { result, outputs: extra.outputs ?? {} };
    };

    // Deployment protection rules, as the plan enforces them ("Deployment environments": branches
    // on every plan that has environments; reviewers only where the plan has them).
    let approvedBy: string | undefined;
    if (environmentName !== undefined && environmentName !== '') {
      const rules = settings.environments[environmentName];
      if (rules !== undefined && environmentsAvailable(settings) && rules.branches !== undefined) {
        const branch = /^refs\/heads\/(.+)$/.exec(this.options.event.ref)?.[1];
        if (branch === undefined || !rules.branches.includes(branch)) {
          return record('failure', {
            environment: { name: environmentName },
            message: `Branch "${String(this.github.ref_name)}" is not allowed to deploy to ${environmentName} due to environment protection rules.`,
          });
        }
      }
      if (
        rules !== undefined &&
        reviewersAvailable(settings) &&
        (rules.reviewers ?? []).length > 0
      ) {
        const answer = this.options.approvals?.[environmentName];
        if (answer === undefined) {
          throw new Error(
            `${jobPath} waits for a reviewer of ${environmentName}: the scenario must say approve or reject`,
          );
        }
        if (answer === 'reject') {
          return record('failure', {
            environment: { name: environmentName },
            message: `A reviewer rejected the deployment to ${environmentName}.`,
          });
        }
        approvedBy = (rules.reviewers ?? [])[0];
      }
    }
    const repository = settings.repository;
    const oidcSubject =
      environmentName !== undefined && environmentName !== ''
        ? `repo:${repository}:environment:${environmentName}`
        : this.options.event.name === 'pull_request'
          ? `repo:${repository}:pull_request`
          : `repo:${repository}:ref:${this.options.event.ref}`;

    const runner = new JobRunner(this, frame, jobPath, job, base, permissions, oidcSubject);
    const steps = await runner.run();
    const failed = steps.some((step) => step.conclusion === 'failure') || runner.lost;
    const outputs = Object.fromEntries(
      Object.entries(job.outputs ?? {}).map(([key, value]) => [
        key,
        interpolate(value, runner.scope(CONTEXTS.jobOutputs, `${jobPath}.outputs.${key}`)),
      ]),
    );
    const url =
      typeof job.environment === 'object' && job.environment.url !== undefined
        ? interpolate(
            job.environment.url,
            runner.scope(CONTEXTS.jobEnvironmentUrl, `${jobPath}.environment.url`),
          )
        : undefined;
    const result: Result = failed ? 'failure' : 'success';
    this.jobs.push({
      path: jobPath,
      name,
      result,
      steps,
      outputs,
      permissions,
      concurrency,
      environment:
        environmentName === undefined ? undefined : { name: environmentName, url, approvedBy },
      message: runner.lost
        ? 'The runner has received a shutdown signal (lost mid-step): no step after it ran.'
        : undefined,
    });
    return { result, outputs };
  }
}

class JobRunner {
  private readonly workspace: string;
  private readonly temp: string;
  private readonly toolCache: string;
  private readonly env: Record<string, string> = {};
  private readonly pathPrepends: string[] = [];
  private readonly steps: Record<
    string,
    { outputs: Record<string, string>; outcome: Result; conclusion: Result }
  > = {};
  private readonly runs: StepRun[] = [];
  private jobFailed = false;
  /** The job's GITHUB_TOKEN: the fake gh answers it with the job's permissions. */
  private readonly token = `ghs_${randomUUID().replace(/-/g, '')}`;
  lost = false;

  constructor(
    private readonly rehearsal: Rehearsal,
    private readonly frame: CallFrame,
    private readonly jobPath: string,
    private readonly job: JobDefinition,
    private readonly base: Record<string, Value>,
    private readonly permissions: Record<string, Permission>,
    private readonly oidcSubject: string,
  ) {
    const root = path.join(rehearsal.root, jobPath.replace(/\//g, '__'));
    const [, name] = String(rehearsal.github.repository).split('/');
    this.workspace = path.join(root, 'work', name, name);
    this.temp = path.join(root, 'work', '_temp');
    this.toolCache = path.join(root, 'hostedtoolcache');
    for (const folder of [this.workspace, this.temp, this.toolCache])
      fs.mkdirSync(folder, { recursive: true });
    rehearsal.options.world.addToken(this.token, permissions);
    const workflowEnv = frame.workflow.env ?? {};
    for (const [key, value] of Object.entries(workflowEnv)) {
      this.env[key] = interpolate(value, {
        contexts: {
          github: this.githubContext(),
          secrets: this.secrets(),
          inputs: frame.inputs,
          vars: rehearsal.vars,
        },
        allowed: CONTEXTS.workflowEnv,
        where: `env.${key}`,
      });
    }
    for (const [key, value] of Object.entries(job.env ?? {})) {
      this.env[key] = interpolate(value, {
        contexts: {
          ...base,
          github: this.githubContext(),
          strategy: {},
          matrix: {},
          secrets: this.secrets(),
        },
        allowed: CONTEXTS.jobEnv,
        where: `${jobPath}.env.${key}`,
      });
    }
  }

  private githubContext(): Record<string, Value> {
    return {
      ...this.rehearsal.github,
      token: this.token,
      workspace: this.workspace,
      job: this.jobPath.split('/').pop() ?? '',
    };
  }

  private secrets(): Record<string, Value> {
    return { GITHUB_TOKEN: this.token };
  }

  scope(allowed: readonly string[], where: string, status?: StatusFunctions): Scope {
    return {
      contexts: {
        ...this.base,
        github: this.githubContext(),
        strategy: {},
        matrix: {},
        job: { status: this.jobFailed ? 'failure' : 'success' },
        runner: {
          os: 'Linux',
          arch: 'X64',
          name: 'GitHub Actions 1',
          temp: this.temp,
          tool_cache: this.toolCache,
          environment: 'github-hosted',
        },
        env: { ...this.env },
        secrets: this.secrets(),
        steps: this.steps,
      },
      allowed,
      where,
      status,
    };
  }

  /** The documented default variables; steps cannot override them (CI excepted). */
  private defaults(stepId: string, files: Record<string, string>): Record<string, string> {
    const g = this.rehearsal.github;
    const vars: Record<string, string> = {
      CI: 'true',
      GITHUB_ACTION: stepId,
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTOR: String(g.actor),
      GITHUB_ACTOR_ID: '583231',
      GITHUB_API_URL: String(g.api_url),
      GITHUB_BASE_REF: String(g.base_ref),
      GITHUB_ENV: files.env,
      GITHUB_EVENT_NAME: String(g.event_name),
      GITHUB_EVENT_PATH: files.event,
      GITHUB_GRAPHQL_URL: String(g.graphql_url),
      GITHUB_HEAD_REF: String(g.head_ref),
      GITHUB_JOB: this.jobPath.split('/').pop() ?? '',
      GITHUB_OUTPUT: files.output,
      GITHUB_PATH: files.path,
      GITHUB_REF: String(g.ref),
      GITHUB_REF_NAME: String(g.ref_name),
      GITHUB_REF_PROTECTED: 'false',
      GITHUB_REF_TYPE: String(g.ref_type),
      GITHUB_REPOSITORY: String(g.repository),
      GITHUB_REPOSITORY_ID: '700000001',
      GITHUB_REPOSITORY_OWNER: String(g.repository_owner),
      GITHUB_REPOSITORY_OWNER_ID: '583231',
      GITHUB_RETENTION_DAYS: '90',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_RUN_ID: String(g.run_id),
      GITHUB_RUN_NUMBER: String(g.run_number),
      GITHUB_SERVER_URL: String(g.server_url),
      GITHUB_SHA: String(g.sha),
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_TRIGGERING_ACTOR: String(g.actor),
      GITHUB_WORKFLOW: String(g.workflow),
      GITHUB_WORKFLOW_REF: `${String(g.repository)}/.github/workflows/${path.basename(this.frame.file)}@${String(g.ref)}`,
      GITHUB_WORKFLOW_SHA: String(g.sha),
      GITHUB_WORKSPACE: this.workspace,
      RUNNER_ARCH: 'X64',
      RUNNER_ENVIRONMENT: 'github-hosted',
      RUNNER_NAME: 'GitHub Actions 1',
      RUNNER_OS: 'Linux',
      RUNNER_TEMP: this.temp,
      RUNNER_TOOL_CACHE: this.toolCache,
    };
    // The runner hands these to jobs allowed an OIDC token (permissions id-token: write).
    if (this.permissions['id-token'] === 'write') {
      vars.ACTIONS_ID_TOKEN_REQUEST_URL =
        'https://pipelines.actions.githubusercontent.com/rehearsal/idtoken';
      vars.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'rehearsal-id-token-request';
    }
    return vars;
  }

  private path(): string {
    return [
      ...[...this.pathPrepends].reverse(),
      this.rehearsal.options.fakes.imageBin,
      process.env.PATH ?? '/usr/bin:/bin',
    ].join(':');
  }

  async run(): Promise<StepRun[]> {
    const timeoutMinutes = Number(
      evaluateTemplate(this.job['timeout-minutes'] ?? 360, {
        contexts: this.base,
        allowed: CONTEXTS.jobTimeout,
        where: `${this.jobPath}.timeout-minutes`,
      }),
    );
    const deadline = Date.now() + timeoutMinutes * 60_000;
    const counts = new Map<string, number>();
    for (const [index, step] of (this.job.steps ?? []).entries()) {
      if (this.lost) break;
      const status: StatusFunctions = {
        success: () => !this.jobFailed,
        failure: () => this.jobFailed,
        cancelled: () => false,
      };
      const where = `${this.jobPath}.steps[${index}]`;
      const name =
        step.name !== undefined
          ? interpolate(step.name, this.scope(CONTEXTS.step, `${where}.name`))
          : step.run !== undefined
            ? `Run ${step.run.split('\n')[0]}`
            : `Run ${step.uses}`;
      const runs = evaluateCondition(step.if, this.scope(CONTEXTS.stepIf, `${where}.if`, status));
      if (!runs) {
        this.finish(
          step,
          { name, id: step.id, outcome: 'skipped', conclusion: 'skipped', output: '' },
          {},
        );
        continue;
      }
      const key = step.run !== undefined ? '__run' : (step.uses ?? '').replace(/[^\w]/g, '');
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const stepId = step.id ?? (counts.get(key) === 1 ? key : `${key}_${counts.get(key)}`);
      const stepEnv = Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [
          k,
          interpolate(v, this.scope(CONTEXTS.step, `${where}.env.${k}`)),
        ]),
      );
      const started = Date.now();
      const result =
        step.run !== undefined
          ? await this.runScript(step, name, stepId, stepEnv, where, deadline)
          : await this.runAction(step, name, stepEnv, where);
      this.finish(step, { ...result.run, durationMs: Date.now() - started }, result.outputs);
    }
    return this.runs;
  }

  private finish(step: StepDefinition, run: StepRun, outputs: Record<string, string>): void {
    const continueOnError = truthy(
      evaluateTemplate(
        step['continue-on-error'] ?? false,
        this.scope(CONTEXTS.step, 'continue-on-error'),
      ),
    );
    const conclusion: Result =
      run.outcome === 'failure' && continueOnError ? 'success' : run.outcome;
    const final = { ...run, conclusion };
    if (conclusion === 'failure') this.jobFailed = true;
    if (step.id !== undefined) this.steps[step.id] = { outputs, outcome: run.outcome, conclusion };
    this.runs.push(final);
  }

  private stepFiles(): Record<string, string> {
    const folder = path.join(this.temp, '_runner_file_commands');
    fs.mkdirSync(folder, { recursive: true });
    const id = randomUUID();
    const files = {
      output: path.join(folder, `set_output_${id}`),
      env: path.join(folder, `set_env_${id}`),
      path: path.join(folder, `add_path_${id}`),
      summary: path.join(folder, `step_summary_${id}`),
      event: path.join(this.temp, '_github_workflow', 'event.json'),
    };
    for (const file of [files.output, files.env, files.path, files.summary])
      fs.writeFileSync(file, '');
    fs.mkdirSync(path.dirname(files.event), { recursive: true });
    fs.writeFileSync(files.event, JSON.stringify(this.rehearsal.github.event));
    return files;
  }

  /** Applies GITHUB_ENV, GITHUB_PATH and the summary; returns the outputs, or throws FileCommandError. */
  private readFiles(files: Record<string, string>): Record<string, string> {
    const outputs = Object.fromEntries(
      parseKeyValueFile(fs.readFileSync(files.output, 'utf8'), 'GITHUB_OUTPUT'),
    );
    for (const [key, value] of parseKeyValueFile(
      fs.readFileSync(files.env, 'utf8'),
      'GITHUB_ENV',
    )) {
      if (checkEnvName(key) === 'set') this.env[key] = value;
    }
    this.pathPrepends.push(...parsePathFile(fs.readFileSync(files.path, 'utf8')));
    const summary = fs.readFileSync(files.summary, 'utf8');
    if (summary !== '') this.rehearsal.summaries.push(summary);
    return outputs;
  }

  private shellCommand(step: StepDefinition, script: string): string[] {
    const shell =
      step.shell ?? this.job.defaults?.run?.shell ?? this.frame.workflow.defaults?.run?.shell;
    if (shell === undefined) return ['bash', '-e', script];
    if (shell === 'bash') return ['bash', '--noprofile', '--norc', '-eo', 'pipefail', script];
    if (shell === 'sh') return ['sh', '-e', script];
    if (shell.includes('{0}')) return shell.split(/\s+/).map((part) => part.replace('{0}', script));
    throw new WorkflowError(`${this.jobPath}: the rehearsal does not model shell '${shell}'`);
  }

  private async runScript(
    step: StepDefinition,
    name: string,
    stepId: string,
    stepEnv: Record<string, string>,
    where: string,
    deadline: number,
  ): Promise<{ run: StepRun; outputs: Record<string, string> }> {
    let script = interpolate(step.run, this.scope(CONTEXTS.step, `${where}.run`));
    const standIn = this.rehearsal.options.standIns?.find((candidate) => candidate.matches(script));
    if (standIn !== undefined) script = standIn.replace(script);
    else if (WHOLE_SUITE.test(script)) {
      return failedStep(
        { name, id: step.id },
        `The rehearsal does not run the whole test suite inside itself (it contains the rehearsal): give this step a stand-in.\n${script}`,
        {},
      );
    }
    const files = this.stepFiles();
    const scriptFile = path.join(this.temp, `${randomUUID()}.sh`);
    fs.writeFileSync(scriptFile, script);
    const workingDirectory = path.resolve(
      this.workspace,
      interpolate(
        step['working-directory'] ?? this.job.defaults?.run?.['working-directory'] ?? '.',
        this.scope(CONTEXTS.step, `${where}.working-directory`),
      ),
    );
    const label = { name, id: step.id, standIn: standIn?.reason };
    if (!fs.existsSync(workingDirectory)) {
      return failedStep(
        label,
        `An error occurred trying to start process '/usr/bin/bash' with working directory '${workingDirectory}'. No such file or directory`,
        {},
      );
    }
    const passed = Object.fromEntries(
      PASSED_THROUGH.filter((key) => process.env[key] !== undefined).map((key) => [
        key,
        process.env[key] as string,
      ]),
    );
    const defaults = this.defaults(stepId, files);
    const environment = {
      ...passed,
      ...this.env,
      ...stepEnv,
      ...defaults,
      CI: stepEnv.CI ?? this.env.CI ?? 'true',
      PATH: stepEnv.PATH ?? this.path(),
    };
    const [command, ...args] = this.shellCommand(step, scriptFile);
    const stepTimeout =
      step['timeout-minutes'] === undefined ? Infinity : Number(step['timeout-minutes']) * 60_000;
    const lose = this.rehearsal.options.loseRunner;
    const losing =
      lose !== undefined && lose.job === this.jobPath && lose.step === name ? lose.when : undefined;
    const { code, output, lost } = await runProcess(
      command,
      args,
      workingDirectory,
      environment,
      Math.min(deadline - Date.now(), stepTimeout),
      losing,
    );
    if (lost) {
      this.lost = true;
      return failedStep(label, `${output}\n(the runner was lost here)`, {});
    }
    for (const annotation of annotationsIn(output))
      this.rehearsal.annotations.push({ ...annotation, job: this.jobPath, step: name });
    let outputs: Record<string, string> = {};
    let failure = code === 0 ? '' : `\nError: Process completed with exit code ${code}.`;
    try {
      outputs = this.readFiles(files);
    } catch (error: unknown) {
      if (!(error instanceof FileCommandError)) throw error;
      failure += `\nError: ${error.message}`;
    }
    const outcome: Result = failure === '' ? 'success' : 'failure';
    return {
      run: { ...label, outcome, conclusion: outcome, output: `${output}${failure}` },
      outputs,
    };
  }

  private async runAction(
    step: StepDefinition,
    name: string,
    stepEnv: Record<string, string>,
    where: string,
  ): Promise<{ run: StepRun; outputs: Record<string, string> }> {
    const uses = step.uses ?? '';
    const action = uses.split('@')[0];
    const standIn = ACTIONS[action];
    if (standIn === undefined) {
      return failedStep({ name, id: step.id }, `The rehearsal has no stand-in for ${uses}`, {});
    }
    const given = Object.fromEntries(
      Object.entries(step.with ?? {}).map(([key, value]) => [
        key,
        interpolate(value, this.scope(CONTEXTS.step, `${where}.with.${key}`)),
      ]),
    );
    const unexpected = Object.keys(given).filter((key) => !(key in standIn.inputs));
    if (unexpected.length > 0) {
      this.rehearsal.annotations.push({
        level: 'warning',
        message: `Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${Object.keys(standIn.inputs).join("', '")}']`,
        properties: {},
        job: this.jobPath,
        step: name,
      });
    }
    const inputs = Object.fromEntries(
      Object.entries(standIn.inputs).map(([key, fallback]) => [
        key,
        given[key] ??
          (fallback === null
            ? key === 'repository'
              ? String(this.rehearsal.github.repository)
              : key === 'token'
                ? this.token
                : ''
            : fallback),
      ]),
    );
    const outputs: Record<string, string> = {};
    const log: string[] = [];
    const missing = (standIn.required ?? []).filter((key) => (inputs[key] ?? '') === '');
    const github = this.rehearsal.github;
    const context: ActionContext = {
      inputs,
      workspace: this.workspace,
      temp: this.temp,
      toolCache: this.toolCache,
      env: { ...this.env, ...stepEnv, ...this.defaults('action', this.stepFiles()) },
      permissions: this.permissions,
      oidcSubject: this.oidcSubject,
      github: {
        repository: String(github.repository),
        sha: String(github.sha),
        ref: String(github.ref),
        runId: String(github.run_id),
      },
      world: this.rehearsal.options.world,
      fakes: this.rehearsal.options.fakes,
      origin: this.rehearsal.options.world.github.origin,
      artifacts: this.rehearsal.artifacts,
      setEnv: (key, value) => {
        if (checkEnvName(key) === 'set') this.env[key] = value;
      },
      addPath: (folder) => this.pathPrepends.push(folder),
      setOutput: (key, value) => {
        outputs[key] = value;
      },
      log: (line) => log.push(line),
      warn: (message) => {
        log.push(`Warning: ${message}`);
        this.rehearsal.annotations.push({
          level: 'warning',
          message,
          properties: {},
          job: this.jobPath,
          step: name,
        });
      },
      note: (message) => this.rehearsal.notes.push(`${this.jobPath} / ${name}: ${message}`),
    };
    try {
      if (missing.length > 0)
        throw new ActionFailure(`Input required and not supplied: ${missing.join(', ')}`);
      await standIn.run(context);
      return {
        run: {
          name,
          id: step.id,
          outcome: 'success',
          conclusion: 'success',
          output: log.join('\n'),
        },
        outputs,
      };
    } catch (error: unknown) {
      if (!(error instanceof ActionFailure)) throw error;
      return failedStep(
        { name, id: step.id },
        [...log, `Error: ${error.message}`].join('\n'),
        outputs,
      );
    }
  }
}

/** The process groups of steps still running: a test that gives up on a run ends them. */
const running = new Set<number>();

/** Kills every step still running (its whole process group: npm, node, Chromium, java). */
export function killRunningSteps(): void {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}

/** Runs a step's process in its own group; kills the group at the timeout, or when `lose` holds. */
function runProcess(
  command: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
  lose?: () => boolean,
): Promise<{ code: number; output: string; lost: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child.pid as number);
    let output = '';
    let lost = false;
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const killGroup = () => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(
      () => {
        output += `\nError: The operation was canceled (timeout).`;
        killGroup();
      },
      Math.max(0, Math.min(timeoutMs, 2 ** 31 - 1)),
    );
    // The runner's loss has no event to wait on: the fake it watches is another process.
    const watcher =
      lose === undefined
        ? undefined
        : setInterval(() => {
            if (lose()) {
              lost = true;
              killGroup();
            }
          }, 50);
    child.on('close', (code, signal) => {
      running.delete(child.pid as number);
      clearTimeout(timer);
      if (watcher !== undefined) clearInterval(watcher);
      resolve({ code: code ?? (signal === null ? 1 : 128 + 9), output, lost });
    });
  });
}

/** Runs `file` (a workflow in options.workflowsDir) for options.event. */
export async function rehearse(file: string, options: RehearsalOptions): Promise<WorkflowRun> {
  const rehearsal = new Rehearsal(options);
  let startupError: string | undefined;
  try {
    await rehearsal.runTopLevel(path.join(options.workflowsDir, file));
  } catch (error: unknown) {
    if (!(
      error instanceof StartupFailure ||
      error instanceof WorkflowError ||
      error instanceof ExpressionError
    ))
      throw error;
    startupError = error.message;
  }
  const jobs = rehearsal.jobs;
  const conclusion: WorkflowRun['conclusion'] =
    startupError !== undefined
      ? 'startup_failure'
      : jobs.some((job) => job.result === 'failure' || job.result === 'cancelled')
        ? 'failure'
        : 'success';
  const run: WorkflowRun = {
    conclusion,
    startupError,
    jobs,
    annotations: rehearsal.annotations,
    notes: rehearsal.notes,
    summaries: rehearsal.summaries,
    artifacts: rehearsal.artifacts,
    workflowConcurrency: rehearsal.workflowConcurrency,
    job(pathOrId) {
      const found = jobs.find((job) => job.path === pathOrId);
      if (found === undefined)
        throw new Error(`No job ${pathOrId}; the run has ${jobs.map((j) => j.path).join(', ')}`);
      return found;
    },
    step(jobPath, name) {
      const steps = run.job(jobPath).steps;
      const found = steps.find((step) => step.name === name);
      if (found === undefined) {
        throw new Error(
          `No step '${name}' in ${jobPath}; it has ${steps.map((s) => `'${s.name}'`).join(', ')}`,
        );
      }
      return found;
    },
    failures() {
      return [
        ...(startupError === undefined ? [] : [`startup failure: ${startupError}`]),
        ...jobs.flatMap((job) => [
          ...(job.message !== undefined && job.result === 'failure'
            ? [`${job.path}: ${job.message}`]
            : []),
          ...job.steps
            .filter((step) => step.conclusion === 'failure')
            .map(
              (step) =>
                `${job.path} / ${step.name}:\n${step.output.split('\n').slice(-40).join('\n')}`,
            ),
        ]),
      ];
    },
  };
  return run;
}
