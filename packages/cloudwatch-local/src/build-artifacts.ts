/**
 * The last step of `npm run build`, run from dist: puts the monitor page's bundle in `dist/page/`,
 * beside the compiled modules, so a published install serves it without esbuild. The query
 * worker needs no step: tsc's `dist/logs-insights/query-worker.js` is the file a worker loads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildPage } from './artifacts';

const outdir = path.join(__dirname, 'page');
fs.rmSync(outdir, { recursive: true, force: true });
fs.mkdirSync(outdir);
buildPage(outdir);
