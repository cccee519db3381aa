import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildOnce, listFiles, PROJECT_ROOT } from './paths';
import { buildPageAssets, contentTypeOf } from './website';

export interface MonitorPageFile {
  /** Path inside the build, with forward slashes: `index.html`, `assets/main-XXXX.js`. */
  readonly key: string;
  readonly contentType: string;
  readonly bytes: number;
}

export interface MonitorPageBuild {
  readonly directory: string;
  readonly files: readonly MonitorPageFile[];
}

const PAGE_DIR = path.join(PROJECT_ROOT, 'local', 'monitoring', 'dashboard-page');

/**
 * Everything the page's bundle reads (test/bundling/monitor-page.test.ts checks this list against
 * esbuild's own list of inputs, so a new import cannot leave a stale build in use).
 */
export const MONITOR_PAGE_INPUTS = [
  'local/monitoring/dashboard-page',
  'local/monitoring/dashboard-body.ts',
  'local/monitoring/local-links.ts',
  'local/monitoring/monitor-api.ts',
  'packages/cloudwatch-model/src',
  'bundling/monitor-page.ts',
  // buildPageAssets: the esbuild options the page is built with.
  'bundling/website.ts',
  'tsconfig.json',
  'package-lock.json',
] as const;

/** The esbuild options of the page, shared with the test that checks the inputs. */
export const MONITOR_PAGE_ENTRY_POINTS = [
  path.join(PAGE_DIR, 'src', 'main.ts'),
  path.join(PAGE_DIR, 'src', 'styles.css'),
];

let built: MonitorPageBuild | undefined;

/**
 * Builds the local dashboard page as the website is built: one minified script and one stylesheet
 * with content-hashed names (the chart and markdown libraries bundled in), the HTML pointing at
 * them, and the favicon. `npm start` and the tests build it once per change of its inputs.
 */
export function buildMonitorPage(): MonitorPageBuild {
  if (built !== undefined) return built;
  const directory = buildOnce('monitor-page', MONITOR_PAGE_INPUTS, buildInto);
  const files = listFiles(directory).map((key): MonitorPageFile => ({
    key,
    contentType: contentTypeOf(key),
    bytes: fs.statSync(path.join(directory, key)).size,
  }));
  built = { directory, files };
  return built;
}

function buildInto(outdir: string): void {
  const { script, style } = buildPageAssets(MONITOR_PAGE_ENTRY_POINTS, outdir, 'monitor page');
  const html = fs
    .readFileSync(path.join(PAGE_DIR, 'index.html'), 'utf8')
    .replace('{{script}}', `/${script}`)
    .replace('{{stylesheet}}', `/${style}`);
  if (html.includes('{{'))
    throw new Error('dashboard-page/index.html has a placeholder the build does not know');
  fs.writeFileSync(path.join(outdir, 'index.html'), html);
  fs.copyFileSync(path.join(PAGE_DIR, 'favicon.svg'), path.join(outdir, 'favicon.svg'));
}
