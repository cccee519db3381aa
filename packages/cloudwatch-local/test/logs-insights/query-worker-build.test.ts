import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { cachedBuild, queryWorkerFile } from '../../src/artifacts';

describe('the Logs Insights query worker build', () => {
  it('is one CommonJS file with its regex engine bundled in', () => {
    const code = fs.readFileSync(queryWorkerFile(), 'utf8');

    expect(code).toContain('parentPort');
    expect(code).not.toMatch(/require\(["']re2js["']\)/);
  });
});

describe('a build from source', () => {
  const source = fs.mkdtempSync(path.join(os.tmpdir(), 'cached-build-'));
  const entry = path.join(source, 'entry.ts');
  const imported = path.join(source, 'imported.ts');
  const kind = `test-${process.pid}`;
  const build = (outdir: string) =>
    buildSync({
      entryPoints: [entry],
      outfile: path.join(outdir, 'out.js'),
      bundle: true,
      metafile: true,
      logLevel: 'silent',
    }).metafile;
  const output = (directory: string) => fs.readFileSync(path.join(directory, 'out.js'), 'utf8');

  let cacheOfKind: string | undefined;

  afterAll(() => {
    fs.rmSync(source, { recursive: true, force: true });
    if (cacheOfKind !== undefined) fs.rmSync(cacheOfKind, { recursive: true, force: true });
  });

  it('is reused while its inputs are unchanged, and rebuilt when a file it imports changes', () => {
    fs.writeFileSync(entry, "import { word } from './imported';\nconsole.log(word);\n");
    fs.writeFileSync(imported, "export const word = 'first';\n");

    const first = cachedBuild(kind, build);
    cacheOfKind = path.dirname(first);
    const again = cachedBuild(kind, build);
    fs.writeFileSync(imported, "export const word = 'second';\n");
    const changed = cachedBuild(kind, build);

    expect(again).toBe(first);
    expect(changed).not.toBe(first);
    expect(output(changed)).toContain('second');
  });
});
