/**
 * The function bundle's size and what loading it costs a cold start: the wall time of a Node
 * process that requires it, minus that of a bare `node -e 0`, interleaved in the same run. The
 * bundle is loaded with the environment and NODE_OPTIONS the function deploys with (source maps
 * on: Node reads the map as it loads the file), and once without the option for comparison.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleLambda } from '../../bundling/lambda';
import { MESSAGES_FUNCTION, messagesFunctionEnvironment } from '../../contract/function';
import { interleave, median } from './samples';

export interface LambdaBench {
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly zipBytes: number;
  readonly runs: number;
  readonly bareNodeMs: number;
  /** Median wall time of a process that loads the bundle as deployed, minus bare node's. */
  readonly loadMs: number;
  /** The same without --enable-source-maps. */
  readonly loadWithoutSourceMapsMs: number;
}

function wallMs(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  return elapsed;
}

export function benchLambdaBundle(runs = 15): LambdaBench {
  const bundle = bundleLambda();
  const file = path.join(bundle.directory, 'index.js');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    ...messagesFunctionEnvironment({ tableName: 'bench', logLevel: 'INFO', debugSampleRate: 0 }),
  };
  const load = `require(${JSON.stringify(file)})`;
  const [bare, deployed, withoutMaps] = interleave(runs, [
    () => wallMs(['-e', '0'], env),
    () => wallMs([...MESSAGES_FUNCTION.nodeOptions.split(' '), '-e', load], env),
    () => wallMs(['-e', load], env),
  ]);
  const bareMs = median(bare);
  return {
    bytes: fs.statSync(file).size,
    gzipBytes: gzipSync(fs.readFileSync(file), { level: 9 }).length,
    zipBytes: fs.statSync(bundle.zipFile).size,
    runs,
    bareNodeMs: bareMs,
    loadMs: median(deployed) - bareMs,
    loadWithoutSourceMapsMs: median(withoutMaps) - bareMs,
  };
}
