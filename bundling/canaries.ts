import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { CANARY_NAMES, type CanaryName, SYNTHETICS_MODULES } from '../contract/canaries';
import { buildOnce, PROJECT_ROOT } from './paths';
import { writeZip } from './zip';

export interface CanaryBundle {
  /** The script zip: `nodejs/node_modules/<name>.js`, the layout every puppeteer runtime loads. */
  readonly zipFile: string;
  /** `<name>.handler`. */
  readonly handler: string;
}

/**
 * The Synthetics runtime's own modules: provided in the runtime, never bundled. The legacy names
 * (`Synthetics`, `SyntheticsLogger`) are not here, so a journey that required them would not build.
 */
const RUNTIME_MODULES = Object.values(SYNTHETICS_MODULES);

let built: Record<CanaryName, CanaryBundle> | undefined;

/**
 * Bundles each journey under canaries/ into its own zip. The zip's name carries no hash, but the
 * folder does (`.build/canaries/<hash of the inputs>/`), so a changed script is a new path: the
 * provider does not notice new content under an old zip_file path.
 */
export function bundleCanaries(): Record<CanaryName, CanaryBundle> {
  if (built !== undefined) return built;
  const inputs = [
    'canaries',
    'contract',
    'bundling/canaries.ts',
    'bundling/zip.ts',
    'tsconfig.json',
    'package-lock.json',
  ];
  const directory = buildOnce('canaries', inputs, (outdir) => {
    for (const name of CANARY_NAMES) {
      const result = buildSync({
        entryPoints: [path.join(PROJECT_ROOT, 'canaries', `${name}.ts`)],
        bundle: true,
        write: false,
        outfile: `${name}.js`,
        platform: 'node',
        // The same file runs on this machine's Node 20 and on the runtime's Node 22.
        target: 'node20',
        format: 'cjs',
        external: RUNTIME_MODULES,
        legalComments: 'none',
        logLevel: 'error',
      });
      writeZip(path.join(outdir, `${name}.zip`), [
        {
          name: `nodejs/node_modules/${name}.js`,
          data: Buffer.from(result.outputFiles[0].contents),
        },
      ]);
    }
  });
  built = Object.fromEntries(
    CANARY_NAMES.map((name) => {
      const zipFile = path.join(directory, `${name}.zip`);
      if (!fs.existsSync(zipFile)) throw new Error(`canary bundle ${zipFile} is missing`);
      return [name, { zipFile, handler: `${name}.handler` }];
    }),
  ) as Record<CanaryName, CanaryBundle>;
  return built;
}
