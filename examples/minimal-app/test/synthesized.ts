/**
 * The minimal app synthesized as `cdktf synth` writes it, into a folder of its own: the file
 * another project would point @monitored/cloudwatch-local and @monitored/terraform-policy at.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// The example's build step, stood in for by the repository's deterministic zip writer.
import { writeZip } from '../../../bundling/zip';
import { buildMinimalApp, type MinimalAppSettings, type MinimalStack } from '../app';

/**
 * The day the policy checks judge by: fixed, so that a runtime nearing its deprecation warns in
 * the test that says so, not in every test on some day to come.
 */
export const POLICY_DAY = new Date('2026-11-28T00:00:00Z');

export const SETTINGS: MinimalAppSettings = {
  namePrefix: 'minimal-dev',
  region: 'eu-central-1',
  permissionsBoundary: 'arn:aws:iam::123456789012:policy/minimal-boundary',
  deployRoleArn: 'arn:aws:iam::123456789012:role/minimal-deploy',
  alertEmails: ['ops@example.com'],
  canarySchedule: {
    expression: 'rate(5 minutes)',
    maxRetries: 1,
    timeoutSeconds: 30,
    memoryMb: 960,
  },
  policyDay: POLICY_DAY,
};

export interface SynthesizedExample {
  /** The folder everything was written to; remove it when done. */
  readonly workdir: string;
  /** `stacks/<name>`, as cdktf writes it: the stack's JSON and the assets it copies. */
  readonly stackDir: string;
  /** `stacks/<name>/cdk.tf.json`. */
  readonly stackFile: string;
  /** The stack as built, for what the JSON holds only as text (the dashboard's body). */
  readonly stack: MinimalStack;
  /** The artifacts it was built from. */
  readonly functionZip: string;
  readonly canaryZip: string;
}

export function synthesizeExample(): SynthesizedExample {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'minimal-app-'));
  const source = (file: string) => fs.readFileSync(path.join(__dirname, '..', file));
  const functionZip = path.join(workdir, 'function.zip');
  const canaryZip = path.join(workdir, 'canary.zip');
  writeZip(functionZip, [{ name: 'index.js', data: source('function/index.cjs') }]);
  writeZip(canaryZip, [{ name: 'nodejs/node_modules/api.js', data: source('canary/api.cjs') }]);
  const outdir = path.join(workdir, 'cdktf.out');
  const app = buildMinimalApp(SETTINGS, { functionZip, canaryZip }, { outdir });
  // The policy checks run here, as an Aspect: an error would throw.
  app.synth();
  const stackDir = path.join(outdir, 'stacks', SETTINGS.namePrefix);
  return {
    workdir,
    stackDir,
    stackFile: path.join(stackDir, 'cdk.tf.json'),
    stack: app.node.findChild(SETTINGS.namePrefix) as MinimalStack,
    functionZip,
    canaryZip,
  };
}
