/**
 * Puts the fakes where a runner finds its tools: `aws` and `gh` in the runner image's bin folder
 * (GitHub's ubuntu-24.04 image has both), and a `terraform` there that is not found, as on that
 * image (Terraform was removed from it: actions/runner-images#9848); setup-terraform's stand-in
 * installs the fake Terraform into the job's tool cache and puts it on the PATH, as the action does.
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { World } from './world';

const ENTRY = path.join(__dirname, 'bin.ts');

export interface Fakes {
  /** The folder to put first on a step's PATH: the image's `aws`, `gh`, and no `terraform`. */
  readonly imageBin: string;
  /** Installs the fake Terraform as `version` under `folder`; returns the folder to put on PATH. */
  installTerraform(folder: string, version: string): string;
}

function script(file: string, body: string): void {
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export function installFakes(folder: string, world: World): Fakes {
  const bundle = path.join(folder, 'fakes.cjs');
  esbuild.buildSync({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: bundle,
    logLevel: 'error',
  });
  const imageBin = path.join(folder, 'image-bin');
  fs.mkdirSync(imageBin, { recursive: true });
  const run = (tool: string, extra = '') =>
    `exec node ${quote(bundle)} --world ${quote(world.root)}${extra} ${tool} "$@"`;
  script(path.join(imageBin, 'aws'), run('aws'));
  script(path.join(imageBin, 'gh'), run('gh'));
  script(path.join(imageBin, 'terraform'), 'echo "terraform: command not found" >&2\nexit 127');
  return {
    imageBin,
    installTerraform(target, version) {
      const bin = path.join(target, 'terraform', version, 'x64');
      fs.mkdirSync(bin, { recursive: true });
      script(
        path.join(bin, 'terraform'),
        run('terraform', ` --terraform-version ${quote(version)}`),
      );
      return bin;
    },
  };
}
