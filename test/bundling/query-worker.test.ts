import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { PROJECT_ROOT } from '../../bundling/paths';
import {
  QUERY_WORKER_ENTRY_POINT,
  QUERY_WORKER_INPUTS,
  queryWorkerFile,
} from '../../bundling/query-worker';

describe('the Logs Insights query worker build', () => {
  it('is one CommonJS file with its regex engine bundled in', () => {
    const code = fs.readFileSync(queryWorkerFile(), 'utf8');

    expect(code).toContain('parentPort');
    expect(code).not.toMatch(/require\(["']re2js["']\)/);
  });

  it('lists every file the bundle reads among its inputs, so that a change rebuilds it', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'query-worker-'));
    try {
      const result = buildSync({
        entryPoints: [QUERY_WORKER_ENTRY_POINT],
        outdir,
        bundle: true,
        platform: 'node',
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      const read = Object.keys(result.metafile.inputs).map((input) =>
        path.relative(PROJECT_ROOT, path.resolve(input)).split(path.sep).join('/'),
      );
      const covered = (file: string) =>
        file.startsWith('node_modules/') ||
        QUERY_WORKER_INPUTS.some((input) => file === input || file.startsWith(`${input}/`));
      expect(read.filter((file) => !covered(file))).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
