/**
 * A stage's outputs (website_url, api_url, table_name), read from where the deploy left them:
 * the stage's Terraform state (in the state bucket when TF_STATE_BUCKET is set, as the deploy's
 * backend is, else the local file at the project's root), or the file `cdktf deploy
 * --outputs-file` wrote. Read-only: GetObject and HeadObject on the state and its lock file.
 */
import * as fs from 'node:fs';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describeFailure, type CallFailure } from './aws-failure';

/** Where the outputs are read from. */
export type OutputsSource =
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string; readonly region: string }
  | { readonly kind: 'local-state'; readonly path: string }
  | { readonly kind: 'outputs-file'; readonly path: string; readonly stack: string };

export type OutputValue = string | number | boolean | null | object;

export type StageOutputs =
  | { readonly found: true; readonly where: string; readonly values: Record<string, OutputValue> }
  /** Nothing there: the stage was not deployed with this state (or this bucket). */
  | { readonly found: false; readonly where: string }
  | { readonly found: 'unknown'; readonly where: string; readonly failure: CallFailure };

/** Who holds the stage's state lock, if anyone (S3-native locking writes `<key>.tflock`). */
export type StateLock =
  | { readonly held: false; readonly where: string }
  | { readonly held: true; readonly where: string; readonly since?: Date }
  | { readonly held: 'unknown'; readonly where: string; readonly failure: CallFailure };

function describeSource(source: OutputsSource): string {
  return source.kind === 's3' ? `s3://${source.bucket}/${source.key}` : source.path;
}

/**
 * The outputs of a Terraform state (format version 4: `outputs.<name>.value`), or a problem with
 * the text. Sensitive outputs are left out: status prints to a terminal.
 */
function outputsOfState(text: string): Record<string, OutputValue> | string {
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    return 'is not JSON (not a Terraform state)';
  }
  const outputs = (state as { outputs?: unknown } | null)?.outputs;
  if (typeof outputs !== 'object' || outputs === null) return 'has no outputs';
  return Object.fromEntries(
    Object.entries(outputs as Record<string, { value?: OutputValue; sensitive?: boolean }>)
      .filter(([, output]) => output.sensitive !== true)
      .map(([name, output]) => [name, output.value ?? null]),
  );
}

/** The outputs of `stack` in a cdktf outputs file (`{ "<stack>": { "<output>": value } }`). */
function outputsOfOutputsFile(text: string, stack: string): Record<string, OutputValue> | string {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    return 'is not JSON (not a cdktf outputs file)';
  }
  const outputs = (file as Record<string, unknown> | null)?.[stack];
  if (typeof outputs !== 'object' || outputs === null) return `has no outputs of stack ${stack}`;
  return outputs as Record<string, OutputValue>;
}

/**
 * S3 answers a missing object with 403, not 404, to a caller without s3:ListBucket on the bucket
 * (GetObject's API reference, "Permissions"): say so beside an access denied.
 */
function s3Failure(call: string, error: unknown): CallFailure {
  const failure = describeFailure(call, error);
  return failure.kind === 'access-denied'
    ? {
        ...failure,
        message: `${failure.message} (without s3:ListBucket on the bucket, S3 also answers 403 for an object that does not exist)`,
      }
    : failure;
}

function notFound(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata
    ?.httpStatusCode;
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
}

/** Reads the stage's outputs from `source`; `s3` gives the client of a region. */
export async function readOutputs(
  source: OutputsSource,
  s3: (region: string) => S3Client,
): Promise<StageOutputs> {
  const where = describeSource(source);
  let text: string;
  if (source.kind === 's3') {
    const call = `S3.GetObject ${where}`;
    try {
      const object = await s3(source.region).send(
        new GetObjectCommand({ Bucket: source.bucket, Key: source.key }),
      );
      text = (await object.Body?.transformToString('utf8')) ?? '';
    } catch (error: unknown) {
      if (notFound(error)) return { found: false, where };
      return { found: 'unknown', where, failure: s3Failure(call, error) };
    }
  } else {
    if (!fs.existsSync(source.path)) return { found: false, where };
    text = fs.readFileSync(source.path, 'utf8');
  }
  const values =
    source.kind === 'outputs-file'
      ? outputsOfOutputsFile(text, source.stack)
      : outputsOfState(text);
  if (typeof values !== 'string') return { found: true, where, values };
  return {
    found: 'unknown',
    where,
    failure: { call: `reading ${where}`, kind: 'other', message: `${where} ${values}` },
  };
}

/**
 * Whether the stage's state is locked: with `use_lockfile`, Terraform holds the lock by writing
 * `<key>.tflock` beside the state and deletes it when done
 * (https://developer.hashicorp.com/terraform/language/backend/s3#state-locking). A lock file
 * that outlives every deploy is a stuck lock (docs/runbook.md says how to clear it).
 */
export async function readStateLock(
  bucket: string,
  key: string,
  region: string,
  s3: (region: string) => S3Client,
): Promise<StateLock> {
  const where = `s3://${bucket}/${key}`;
  try {
    const head = await s3(region).send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { held: true, where, since: head.LastModified };
  } catch (error: unknown) {
    if (notFound(error)) return { held: false, where };
    return { held: 'unknown', where, failure: s3Failure(`S3.HeadObject ${where}`, error) };
  }
}
