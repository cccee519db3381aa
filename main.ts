import * as path from 'node:path';
import { Annotations, App, Manifest } from 'cdktf';
import { ConfigError, parseDay, parseEmailList, STAGES, stageConfigs } from './stacks/config';
import { BOOTSTRAP_STACK, BootstrapStack } from './stacks/bootstrap/bootstrap-stack';
import { parseGithubRepository } from './stacks/bootstrap/github-oidc';
import { MessageSystemStack } from './stacks/message-system-stack';
import {
  ACCEPT_DEPRECATED_RUNTIMES,
  parseAcceptedRuntimes,
} from './stacks/policy/accepted-runtimes';
import { syncProviderLock } from './stacks/state/provider-lock';
import { DEFAULT_STATE_REGION, parseRegion, useStateBackend } from './stacks/state/state-backend';

// The only place that reads the environment: everything else receives typed config. A setting
// that cannot be used ends the synth with one line naming it, not a stack trace.
/** A stage's alert emails: its own variable, or ALERT_EMAILS for both; errors name the one read. */
function alertEmails(variable: string): string[] {
  const own = process.env[variable];
  return own !== undefined
    ? parseEmailList(own, variable)
    : parseEmailList(process.env.ALERT_EMAILS, 'ALERT_EMAILS');
}

function readSettings() {
  return {
    configs: stageConfigs({
      alertEmails: {
        dev: alertEmails('ALERT_EMAILS_DEV'),
        prod: alertEmails('ALERT_EMAILS_PROD'),
      },
    }),
    stateBucket: process.env.TF_STATE_BUCKET,
    stateRegion: parseRegion(process.env.TF_STATE_REGION, 'TF_STATE_REGION'),
    // Only the bootstrap stack's deploy roles need it, and only at deploy (GitHub Actions sets it).
    githubRepository: parseGithubRepository(process.env.GITHUB_REPOSITORY, 'GITHUB_REPOSITORY'),
    // The policy rules judge runtime deprecation by this day; SYNTH_DATE asks what a later synth will say.
    today: parseDay(process.env.SYNTH_DATE, 'SYNTH_DATE') ?? new Date(),
    // Runtimes a destroy or an urgent fix may synth with past their date; the refusal names it.
    acceptDeprecatedRuntimes: parseAcceptedRuntimes(
      process.env[ACCEPT_DEPRECATED_RUNTIMES],
      ACCEPT_DEPRECATED_RUNTIMES,
    ),
  };
}

let settings: ReturnType<typeof readSettings>;
try {
  settings = readSettings();
} catch (error: unknown) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
const { configs, stateBucket, stateRegion, githubRepository, today, acceptDeprecatedRuntimes } =
  settings;

const app = new App();
for (const stage of STAGES) {
  const stack = new MessageSystemStack(app, stage, {
    config: configs[stage],
    today,
    acceptDeprecatedRuntimes,
  });
  const stackDirectory = path.join(app.outdir, Manifest.stacksFolder, stage);
  useStateBackend(stack, {
    stage,
    projectDirectory: __dirname,
    stackDirectory,
    bucket: stateBucket,
    bucketRegion: stateRegion,
  });
  const note = syncProviderLock(__dirname, stackDirectory);
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
  projectDirectory: __dirname,
  stackDirectory: bootstrapDirectory,
});
const bootstrapNote = syncProviderLock(__dirname, bootstrapDirectory);
if (bootstrapNote !== undefined) Annotations.of(bootstrap).addWarning(bootstrapNote);
app.synth();
