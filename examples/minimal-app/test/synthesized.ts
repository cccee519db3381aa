/**
 * The minimal app synthesized as `cdktf synth` writes it, into a folder of its own: the file
 * another project would point @monitored/cloudwatch-local at.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// The example's build step, stood in for by the repository's deterministic zip writer.
import { writeZip } from '../../../bundling/zip';
import { buildMinimalApp, type MinimalAppSettings } from '../app';

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
};

export interface SynthesizedExample {
  /** The folder everything was written to; remove it when done. */
  readonly workdir: string;
  /** `stacks/<name>/cdk.tf.json`, as cdktf writes it. */
  readonly stackFile: string;
}

export function synthesizeExample(): SynthesizedExample {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'minimal-app-'));
  const source = (file: string) => fs.readFileSync(path.join(__dirname, '..', file));
  const functionZip = path.join(workdir, 'function.zip');
  const canaryZip = path.join(workdir, 'canary.zip');
  writeZip(functionZip, [{ name: 'index.js', data: source('function/index.cjs') }]);
  writeZip(canaryZip, [{ name: 'nodejs/node_modules/api.js', data: source('canary/api.cjs') }]);
  const outdir = path.join(workdir, 'cdktf.out');
  buildMinimalApp(SETTINGS, { functionZip, canaryZip }, { outdir }).synth();
  return {
    workdir,
    stackFile: path.join(outdir, 'stacks', SETTINGS.namePrefix, 'cdk.tf.json'),
  };
}
