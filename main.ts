import { App, LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import { parseDay, parseEmailList, STAGES, stageConfigs } from './stacks/config';
import { MessageSystemStack } from './stacks/message-system-stack';
import { APP_NAME } from './stacks/shared/naming';

// The only place that reads the environment: everything else receives typed config.
const configs = stageConfigs({
  alertEmails: {
    dev: parseEmailList(
      process.env.ALERT_EMAILS_DEV ?? process.env.ALERT_EMAILS,
      'ALERT_EMAILS_DEV',
    ),
    prod: parseEmailList(
      process.env.ALERT_EMAILS_PROD ?? process.env.ALERT_EMAILS,
      'ALERT_EMAILS_PROD',
    ),
  },
});
const stateBucket = process.env.TF_STATE_BUCKET;
// The policy rules judge runtime deprecation by this day; SYNTH_DATE asks what a later synth will say.
const today = parseDay(process.env.SYNTH_DATE, 'SYNTH_DATE') ?? new Date();

function useStateBackend(stack: TerraformStack, stage: string, region: string): void {
  if (stateBucket === undefined || stateBucket === '') {
    new LocalBackend(stack, { path: `terraform.${stage}.tfstate` });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: stateBucket,
    key: `${APP_NAME}/${stage}.tfstate`,
    region: process.env.TF_STATE_REGION ?? region,
    encrypt: true,
  });
  // S3-native state locking (Terraform 1.10+); cdktf 0.21's S3Backend has no typed field for it.
  backend.addOverride('use_lockfile', true);
}

const app = new App();
for (const stage of STAGES) {
  const stack = new MessageSystemStack(app, stage, { config: configs[stage], today });
  useStateBackend(stack, stage, configs[stage].region);
}
app.synth();
