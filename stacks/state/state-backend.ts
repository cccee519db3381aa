import { ConfigError } from '../config';
import * as path from 'node:path';
import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import { APP_NAME } from '../shared/naming';

/**
 * S3-native state locking (`use_lockfile`) is generally available from Terraform 1.11
 * (https://developer.hashicorp.com/terraform/language/v1.11.x/upgrade-guides); 1.10 had it as an
 * experiment. Both backends ask for it, so that a stack moved to S3 needs no other Terraform.
 */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.11.0';

/** The region of the state bucket when TF_STATE_REGION is not set. */
export const DEFAULT_STATE_REGION = 'us-east-1';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Where a stage's state lives in the bucket; the bootstrap stack's deploy roles may touch only it. */
export function stateKey(stage: string): string {
  return `${APP_NAME}/${stage}.tfstate`;
}

/** The object Terraform's S3-native locking (`use_lockfile`) writes beside the state. */
export function lockKey(stage: string): string {
  return `${stateKey(stage)}.tflock`;
}

/** Parses an AWS region name; undefined when unset; throws naming the variable. */
export function parseRegion(raw: string | undefined, variable: string): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const region = raw.trim();
  if (!REGION.test(region)) {
    throw new ConfigError(variable, raw, 'an AWS region (expected e.g. us-east-1)');
  }
  return region;
}

export interface StateBackendProps {
  readonly stage: string;
  /** Where `terraform.<stage>.tfstate` is kept when there is no bucket: the project's root. */
  readonly projectDirectory: string;
  /** The stack's directory under cdktf.out, where cdktf runs Terraform. */
  readonly stackDirectory: string;
  /** @default local state in projectDirectory */
  readonly bucket?: string;
  /** The bucket's region: one for all stages, whatever region each deploys to. @default DEFAULT_STATE_REGION */
  readonly bucketRegion?: string;
}

/**
 * Gives a stack its state backend and the Terraform version it needs. Local state goes to the
 * project's root, not into cdktf.out (Terraform runs in the stack's directory there, so a bare file
 * name would put the state where `rm -rf cdktf.out` deletes it). The path is relative, so that the
 * backend's configuration, which `terraform init` records, stays the same if the project moves.
 */
export function useStateBackend(stack: TerraformStack, props: StateBackendProps): void {
  stack.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
  if (props.bucket === undefined || props.bucket === '') {
    new LocalBackend(stack, {
      path: path.relative(
        props.stackDirectory,
        path.join(props.projectDirectory, `terraform.${props.stage}.tfstate`),
      ),
    });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: props.bucket,
    key: stateKey(props.stage),
    region: props.bucketRegion ?? DEFAULT_STATE_REGION,
    encrypt: true,
  });
  // cdktf 0.21's S3Backend has no typed field for S3-native locking.
  backend.addOverride('use_lockfile', true);
}
