import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { BUILD_DIR, PROJECT_ROOT, publishBuild, stagingDir } from './paths';

export interface LambdaBundle {
  /** Folder holding `index.js` and its source map: what the function's zip contains. */
  readonly directory: string;
  /** `index.handler`, the handler setting for this bundle. */
  readonly handler: string;
  readonly bytes: number;
}

const built = new Map<string, LambdaBundle>();

/**
 * Bundles `lambda/index.ts` with esbuild into one CommonJS file. Synth, the local system and the
 * tests all load this same file. Target node20: the bundle runs on this machine's Node 20 and on
 * the function's nodejs22.x alike. The AWS SDK is bundled rather than taken from the runtime, so
 * its version is the one in package-lock.json.
 */
export function bundleLambda(parent = path.join(BUILD_DIR, 'lambda')): LambdaBundle {
  const cached = built.get(parent);
  if (cached !== undefined) return cached;
  const staging = stagingDir(parent);
  const outfile = path.join(staging, 'index.js');
  buildSync({
    entryPoints: [path.join(PROJECT_ROOT, 'lambda', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'error',
  });
  const bytes = fs.statSync(outfile).size;
  const bundle = { directory: publishBuild(staging, parent), handler: 'index.handler', bytes };
  built.set(parent, bundle);
  return bundle;
}
