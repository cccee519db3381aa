import * as path from 'node:path';
import { PROJECT_ROOT } from '../bundling/paths';

/** The variable that moves LOCAL_DIR. */
const LOCAL_DIR_VARIABLE = 'MSGS_LOCAL_DIR';
/**
 * Git-ignored folder for what the local system downloads and keeps: DynamoDB Local, data, logs.
 * MSGS_LOCAL_DIR points elsewhere (a test that must see what a run writes).
 */
const LOCAL_DIR = process.env[LOCAL_DIR_VARIABLE] ?? path.join(PROJECT_ROOT, '.local');
/** The local folder as a message names it: by the variable that moved it, or by its path. */
export const LOCAL_DIR_SOURCE =
  process.env[LOCAL_DIR_VARIABLE] === undefined
    ? LOCAL_DIR
    : `${LOCAL_DIR_VARIABLE}=${process.env[LOCAL_DIR_VARIABLE]}`;
/** Where DynamoDB Local is unpacked; DYNAMODB_LOCAL_DIR points elsewhere (a shared copy, a test). */
export const DYNAMODB_LOCAL_DIR =
  process.env.DYNAMODB_LOCAL_DIR ?? path.join(LOCAL_DIR, 'dynamodb-local');
export const DYNAMODB_LOCAL_JAR = path.join(DYNAMODB_LOCAL_DIR, 'DynamoDBLocal.jar');
export const DATA_DIR = path.join(LOCAL_DIR, 'data');
export const LOG_FILE = path.join(LOCAL_DIR, 'lambda.log');
/** The alarm emails of the monitoring loop, one folder per stage. */
export const OUTBOX_DIR = path.join(LOCAL_DIR, 'outbox');

/**
 * AWS's DynamoDB Local ships inside this npm package (folder `emulator/`). Only its tarball is
 * fetched, not its dependencies. Pinned: a new version is a deliberate change.
 */
export const DYNAMODB_LOCAL_PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
/**
 * The tarball's sha512 as the registry publishes it (`npm view amplify-dynamodb-simulator@2.9.30
 * dist.integrity`, the same digest as the bytes npm fetched). npm checks a tarball against the
 * registry's own metadata, so a registry or mirror that serves other bytes with metadata to match
 * would pass; this pin would not. It changes with DYNAMODB_LOCAL_PACKAGE.
 */
export const DYNAMODB_LOCAL_INTEGRITY =
  'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==';
