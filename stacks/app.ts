import * as path from 'node:path';
import { Annotations, App, Manifest } from 'cdktf';
import type { AppArtifacts } from '../bundling/artifacts';
import { BOOTSTRAP_STACK, BootstrapStack } from './bootstrap/bootstrap-stack';
import { parseGithubRepository } from './bootstrap/github-oidc';
import {
  parseDay,
  parseEmailList,
  STAGES,
  stageConfigs,
  type Stage,
  type StageConfig,
} from './config';
import { MessageSystemStack } from './message-system-stack';
import { ACCEPT_DEPRECATED_RUNTIMES, parseAcceptedRuntimes } from './policy/accepted-runtimes';
import { syncProviderLock } from './state/provider-lock';
import { DEFAULT_STATE_REGION, parseRegion, useStateBackend } from './state/state-backend';

/** Everything the app is built from that a deployer may set: `main.ts` reads it from the environment. */
export interface AppSettings {
  readonly configs: Readonly<Record<Stage, StageConfig>>;
  /** The S3 bucket of the stages' state. @default local state files at the project root */
  readonly stateBucket?: string;
  /** The state bucket's region, and the bootstrap stack's. @default DEFAULT_STATE_REGION */
  readonly stateRegion?: string;
  /** `owner/repo` whose workflows may assume the deploy roles; only the bootstrap stack reads it. */
  readonly githubRepository?: string;
  /** The day the policy rules judge runtime deprecation by. */
  readonly today: Date;
  /** Runtimes the policy rules accept past their deprecation date. */
  readonly acceptDeprecatedRuntimes: readonly string[];
}

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The settings from environment variables; a value that cannot be used throws a ConfigError naming
 * the variable (main.ts prints its message alone).
 */
export function settingsFromEnvironment(env: Environment): AppSettings {
  // A stage's alert emails: its own variable, or ALERT_EMAILS for both; errors name the one read.
  const alertEmails = (variable: string): string[] => {
    const own = env[variable];
    return own !== undefined
      ? parseEmailList(own, variable)
      : parseEmailList(env.ALERT_EMAILS, 'ALERT_EMAILS');
  };
  return {
    configs: stageConfigs({
      alertEmails: {
        dev: alertEmails('ALERT_EMAILS_DEV'),
        prod: alertEmails('ALERT_EMAILS_PROD'),
      },
    }),
    stateBucket: env.TF_STATE_BUCKET,
    stateRegion: parseRegion(env.TF_STATE_REGION, 'TF_STATE_REGION'),
    // Only the bootstrap stack's deploy roles need it, and only at deploy (GitHub Actions sets it).
    githubRepository: parseGithubRepository(env.GITHUB_REPOSITORY, 'GITHUB_REPOSITORY'),
    // The policy rules judge runtime deprecation by this day; SYNTH_DATE asks what a later synth will say.
    today: parseDay(env.SYNTH_DATE, 'SYNTH_DATE') ?? new Date(),
    // Runtimes a destroy or an urgent fix may synth with past their date; the refusal names it.
    acceptDeprecatedRuntimes: parseAcceptedRuntimes(
      env[ACCEPT_DEPRECATED_RUNTIMES],
      ACCEPT_DEPRECATED_RUNTIMES,
    ),
  };
}

export interface BuildAppOptions {
  /**
   * The project's root: local state files and the provider lock file live there.
   * @default the folder above stacks/
   */
  readonly projectDirectory?: string;
  /** Where synth writes. @default cdktf's (CDKTF_OUTDIR, as `cdktf synth` sets it, or cdktf.out) */
  readonly outdir?: string;
}

/**
 * The app: one stack per stage and the bootstrap stack, from settings and artifacts built
 * beforehand. Nothing here reads the environment or builds a bundle; `main.ts` and the tests call
 * it alike, and `app.synth()` writes the stacks.
 */
export function buildApp(
  settings: AppSettings,
  artifacts: AppArtifacts,
  options: BuildAppOptions = {},
): App {
  const projectDirectory = options.projectDirectory ?? path.resolve(__dirname, '..');
  const { configs, stateBucket, stateRegion, githubRepository, today, acceptDeprecatedRuntimes } =
    settings;
  const app = new App(options.outdir === undefined ? {} : { outdir: options.outdir });
  for (const stage of STAGES) {
    const stack = new MessageSystemStack(app, stage, {
      config: configs[stage],
      artifacts,
      today,
      acceptDeprecatedRuntimes,
    });
    const stackDirectory = path.join(app.outdir, Manifest.stacksFolder, stage);
    useStateBackend(stack, {
      stage,
      projectDirectory,
      stackDirectory,
      bucket: stateBucket,
      bucketRegion: stateRegion,
    });
    const note = syncProviderLock(projectDirectory, stackDirectory);
    if (note !== undefined) Annotations.of(stack).addWarning(note);
  }

  // Deployed once by hand; it creates the state bucket, so its own state stays local.
  const bootstrap = new BootstrapStack(app, BOOTSTRAP_STACK, {
    region: stateRegion ?? DEFAULT_STATE_REGION,
    stages: STAGES.map((stage) => configs[stage]),
    githubRepository,
    today,
    acceptDeprecatedRuntimes,
  });
  const bootstrapDirectory = path.join(app.outdir, Manifest.stacksFolder, BOOTSTRAP_STACK);
  useStateBackend(bootstrap, {
    stage: BOOTSTRAP_STACK,
    projectDirectory,
    stackDirectory: bootstrapDirectory,
  });
  const bootstrapNote = syncProviderLock(projectDirectory, bootstrapDirectory);
  if (bootstrapNote !== undefined) Annotations.of(bootstrap).addWarning(bootstrapNote);
  return app;
}
