/**
 * The two things the package runs that are not its modules as they are: the monitor's page (a
 * browser bundle: script, stylesheet, HTML, icon) and the Logs Insights query worker (a file a
 * worker thread loads). Published, both are in dist, built by `npm run build` (build-artifacts.ts):
 * `dist/page/` and `dist/logs-insights/query-worker.js`. Read from source (this repository: tsx,
 * ts-jest), they are built with esbuild on first use into the package's `node_modules/.cache/`, and
 * reused while every input esbuild read (its own metafile's list, node_modules included) is
 * unchanged, so no list of inputs is kept by hand.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as esbuild from 'esbuild';

export interface PageFile {
  /** Path inside the build, with forward slashes: `index.html`, `assets/main-XXXX.js`. */
  readonly key: string;
  readonly contentType: string;
  readonly bytes: number;
}

export interface PageBuild {
  readonly directory: string;
  readonly files: readonly PageFile[];
}

const PACKAGE_ROOT = path.resolve(__dirname, '..');
const PAGE_SOURCE = path.join(PACKAGE_ROOT, 'page');
// Where build tools keep their caches (find-cache-dir's convention): ignored by git, ESLint and Prettier.
const CACHE_DIR = path.join(PACKAGE_ROOT, 'node_modules', '.cache', 'cloudwatch-local');
const PREBUILT_PAGE = path.join(__dirname, 'page');
const PREBUILT_WORKER = path.join(__dirname, 'logs-insights', 'query-worker.js');
const WORKER_SOURCE = path.join(__dirname, 'logs-insights', 'query-worker.ts');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

let page: PageBuild | undefined;
let worker: string | undefined;

/** The monitor page's files: dist's prebuilt ones, else built from source once per change. */
export function monitorPage(): PageBuild {
  if (page !== undefined) return page;
  const directory = fs.existsSync(PREBUILT_PAGE)
    ? PREBUILT_PAGE
    : cachedBuild('monitor-page', buildPage);
  const files = listFiles(directory).map((key): PageFile => ({
    key,
    contentType: contentTypeOf(key),
    bytes: fs.statSync(path.join(directory, key)).size,
  }));
  page = { directory, files };
  return page;
}

/**
 * The query worker as a file a worker thread can load: dist's compiled module, else one CommonJS
 * bundle built from source (Node 20 cannot hand tsx's loader to a worker thread).
 */
export function queryWorkerFile(): string {
  if (worker !== undefined) return worker;
  worker = fs.existsSync(PREBUILT_WORKER)
    ? PREBUILT_WORKER
    : path.join(cachedBuild('query-worker', buildWorker), 'query-worker.js');
  return worker;
}

/** esbuild, loaded only to build: a published install never needs it. */
function loadEsbuild(): typeof esbuild {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('esbuild') as typeof esbuild;
}

/**
 * Builds the monitor page into `outdir`: one minified script and one stylesheet with content-hashed
 * names (the chart and markdown libraries bundled in), the HTML pointing at them, the favicon.
 * Returns esbuild's metafile.
 */
export function buildPage(outdir: string): esbuild.Metafile {
  const result = loadEsbuild().buildSync({
    entryPoints: [
      path.join(PAGE_SOURCE, 'src', 'main.ts'),
      path.join(PAGE_SOURCE, 'src', 'styles.css'),
    ],
    outdir: path.join(outdir, 'assets'),
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    target: ['chrome120', 'firefox120', 'safari16'],
    format: 'iife',
    legalComments: 'none',
    metafile: true,
    logLevel: 'error',
    tsconfig: path.join(PAGE_SOURCE, 'tsconfig.json'),
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) =>
    path.relative(outdir, path.resolve(file)).split(path.sep).join('/'),
  );
  const script = outputs.find((file) => file.endsWith('.js'));
  const style = outputs.find((file) => file.endsWith('.css'));
  if (script === undefined || style === undefined)
    throw new Error('the monitor page build produced no script or stylesheet');
  const html = fs
    .readFileSync(path.join(PAGE_SOURCE, 'index.html'), 'utf8')
    .replace('{{script}}', `/${script}`)
    .replace('{{stylesheet}}', `/${style}`);
  if (html.includes('{{'))
    throw new Error('page/index.html has a placeholder the build does not know');
  fs.writeFileSync(path.join(outdir, 'index.html'), html);
  fs.copyFileSync(path.join(PAGE_SOURCE, 'favicon.svg'), path.join(outdir, 'favicon.svg'));
  return withInputs(result.metafile, [
    path.join(PAGE_SOURCE, 'index.html'),
    path.join(PAGE_SOURCE, 'favicon.svg'),
  ]);
}

/** Bundles the query worker into `outdir/query-worker.js`. Returns esbuild's metafile. */
function buildWorker(outdir: string): esbuild.Metafile {
  const result = loadEsbuild().buildSync({
    entryPoints: [WORKER_SOURCE],
    outfile: path.join(outdir, 'query-worker.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile;
}

/** The metafile with files the build read outside esbuild added to its inputs. */
function withInputs(metafile: esbuild.Metafile, files: readonly string[]): esbuild.Metafile {
  const inputs = { ...metafile.inputs };
  for (const file of files) {
    inputs[path.relative(process.cwd(), file)] = { bytes: 0, imports: [] };
  }
  return { ...metafile, inputs };
}

interface BuildRecord {
  /** The esbuild that built it: a new one may build the same inputs otherwise. */
  readonly esbuild: string;
  /** Absolute path → sha256 of its content, for every input of the build. */
  readonly inputs: Readonly<Record<string, string>>;
}

const RECORD = 'build-inputs.json';
const DAY_MS = 24 * 3600 * 1000;

function sha256(file: string): string | undefined {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

function isCurrent(directory: string): boolean {
  let record: BuildRecord;
  try {
    record = JSON.parse(fs.readFileSync(path.join(directory, RECORD), 'utf8')) as BuildRecord;
  } catch {
    return false;
  }
  return (
    record.esbuild === loadEsbuild().version &&
    Object.entries(record.inputs).every(([file, hash]) => sha256(file) === hash)
  );
}

/**
 * A build of `kind` whose inputs are all unchanged, else a new one. Each build is published with
 * one rename into `<cache>/<kind>/<hash of its inputs>`, so processes that build at once (test
 * workers, `npm start`) never see a half-written folder. Builds unused for a day are pruned.
 */
export function cachedBuild(kind: string, build: (outdir: string) => esbuild.Metafile): string {
  const parent = path.join(CACHE_DIR, kind);
  fs.mkdirSync(parent, { recursive: true });
  const now = new Date();
  const entries = fs.readdirSync(parent).filter((entry) => !entry.startsWith('.'));
  let found = entries.map((entry) => path.join(parent, entry)).find(isCurrent);
  if (found === undefined) {
    const staging = fs.mkdtempSync(path.join(parent, '.staging-'));
    try {
      const metafile = build(staging);
      const inputs: Record<string, string> = {};
      for (const input of Object.keys(metafile.inputs)) {
        // esbuild names inputs relative to the working folder; a namespace prefix is not a file.
        const file = path.resolve(input.replace(/^[a-z-]+:/, ''));
        const hash = sha256(file);
        if (hash !== undefined) inputs[file] = hash;
      }
      const record: BuildRecord = { esbuild: loadEsbuild().version, inputs };
      fs.writeFileSync(path.join(staging, RECORD), JSON.stringify(record));
      const key = createHash('sha256').update(JSON.stringify(record)).digest('hex').slice(0, 16);
      found = path.join(parent, key);
      try {
        fs.renameSync(staging, found);
      } catch (error: unknown) {
        // Another process published the same inputs first.
        if (!fs.existsSync(found)) throw error;
      }
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }
  fs.utimesSync(found, now, now);
  for (const entry of entries) {
    const old = path.join(parent, entry);
    if (old !== found && now.getTime() - fs.statSync(old).mtimeMs > DAY_MS)
      fs.rmSync(old, { recursive: true, force: true });
  }
  return found;
}

/** Every file below `directory`, relative, with forward slashes, sorted; the build record left out. */
function listFiles(directory: string, prefix = ''): string[] {
  return fs
    .readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(path.join(directory, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .filter((key) => key !== RECORD)
    .sort();
}
