/**
 * Synth of both stacks (`node --import tsx main.ts`, one process, as `cdktf synth` runs it), beside
 * the same app importing the provider from its package root (scripts/bench-barrel.cjs rewrites
 * each deep import to the root's export at load time), the two interleaved in the same run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILD_DIR, PROJECT_ROOT } from '../../bundling/paths';
import { interleave, median } from './samples';

export type ImportStyle = 'deep' | 'package root';

export interface SynthRun {
  readonly seconds: number;
  readonly peakRssMb: number;
  /** Modules of @cdktf/provider-aws the process loaded. */
  readonly providerModules: number;
}

export interface SynthBench {
  /** No earlier build: esbuild bundles the function, the website and the canaries. */
  readonly cold: readonly SynthRun[];
  /** Builds of unchanged inputs reused, as on every synth after the first. */
  readonly warm: Readonly<Record<ImportStyle, readonly SynthRun[]>>;
}

function synthOnce(style: ImportStyle): SynthRun {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const hooks = [
    '--require',
    path.join(__dirname, '..', '..', 'scripts', 'bench-probe.cjs'),
    ...(style === 'package root'
      ? ['--require', path.join(__dirname, '..', '..', 'scripts', 'bench-barrel.cjs')]
      : []),
  ];
  const started = performance.now();
  const result = spawnSync(process.execPath, [...hooks, '--import', 'tsx', 'main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
  });
  const seconds = (performance.now() - started) / 1000;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`synth (${style} imports) failed: ${result.stderr}`);
  const probe = /bench-probe maxRSS=(\d+) providerModules=(\d+)/.exec(result.stderr);
  if (probe === null) throw new Error(`synth (${style} imports) printed no probe line`);
  return { seconds, peakRssMb: Number(probe[1]) / 1024, providerModules: Number(probe[2]) };
}

export function benchSynth(coldRuns = 3, warmRuns = 5): SynthBench {
  const cold = Array.from({ length: coldRuns }, () => {
    fs.rmSync(BUILD_DIR, { recursive: true, force: true });
    return synthOnce('deep');
  });
  const [deep, root] = interleave(warmRuns, [
    () => synthOnce('deep'),
    () => synthOnce('package root'),
  ]);
  return { cold, warm: { deep, 'package root': root } };
}

export const medianOf = (runs: readonly SynthRun[], key: keyof SynthRun): number =>
  median(runs.map((run) => run[key]));
