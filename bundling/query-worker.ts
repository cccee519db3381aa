import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { buildOnce, PROJECT_ROOT } from './paths';

/**
 * Everything the query worker's bundle reads (test/bundling/query-worker.test.ts checks this list
 * against esbuild's own list of inputs, so a new import cannot leave a stale build in use).
 */
export const QUERY_WORKER_INPUTS = [
  'local/monitoring/logs-insights',
  'bundling/query-worker.ts',
  'tsconfig.json',
  'package-lock.json',
] as const;

export const QUERY_WORKER_ENTRY_POINT = path.join(
  PROJECT_ROOT,
  'local',
  'monitoring',
  'logs-insights',
  'query-worker.ts',
);

let built: string | undefined;

/**
 * The Logs Insights query worker as one CommonJS file: a worker thread loads plain JavaScript
 * (Node 20 cannot hand tsx's loader to a worker), and the same file serves `npm start`, the tests
 * and the benchmark. Built once per change of its inputs.
 */
export function queryWorkerFile(): string {
  if (built !== undefined) return built;
  const directory = buildOnce('query-worker', QUERY_WORKER_INPUTS, (outdir) => {
    buildSync({
      entryPoints: [QUERY_WORKER_ENTRY_POINT],
      outfile: path.join(outdir, 'query-worker.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      logLevel: 'silent',
    });
  });
  built = path.join(directory, 'query-worker.js');
  return built;
}
