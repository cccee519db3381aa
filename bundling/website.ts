import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { NOT_FOUND_PAGE, TEST_IDS } from '../contract/website';
import { buildOnce, listFiles, PROJECT_ROOT } from './paths';

export interface WebsiteFile {
  /** Path inside the site, with forward slashes: `index.html`, `assets/app-XXXX.js`. */
  readonly key: string;
  readonly contentType: string;
  readonly cacheControl: string;
  /** SHA-256 of the content, hex. */
  readonly sha256: string;
  readonly bytes: number;
}

export interface WebsiteBuild {
  readonly directory: string;
  readonly files: readonly WebsiteFile[];
}

const SOURCE_DIR = path.join(PROJECT_ROOT, 'website');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type a file of a build is served with, by its extension. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

// Hashed names never change content, so browsers and CloudFront may keep them for a year; the
// HTML and config.json must be revalidated so that a deploy shows at once.
function cacheControlOf(key: string): string {
  return key.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

// The HTML pages of the site, each a template in website/ whose placeholders the build fills.
const PAGES = ['index.html', NOT_FOUND_PAGE];

function renderPage(page: string, script: string, stylesheet: string): string {
  const html = fs
    .readFileSync(path.join(SOURCE_DIR, page), 'utf8')
    .replace('{{script}}', script)
    .replace('{{stylesheet}}', stylesheet)
    .replace(/\{\{testid\.(\w+)\}\}/g, (placeholder, name: string) => {
      const id = (TEST_IDS as Record<string, string>)[name];
      if (id === undefined)
        throw new Error(
          `website/${page} uses ${placeholder}, which contract TEST_IDS does not define`,
        );
      return id;
    });
  if (html.includes('{{'))
    throw new Error(`website/${page} has a placeholder the build does not know`);
  return html;
}

let built: WebsiteBuild | undefined;

/**
 * Builds the website: one minified script and one stylesheet with content-hashed names, the HTML
 * pointing at them, and the static files. The same build is uploaded to S3 and served locally;
 * only `config.json` differs, and it is not part of the build.
 */
export function buildWebsite(): WebsiteBuild {
  if (built !== undefined) return built;
  const inputs = [
    'website',
    'contract',
    'bundling/website.ts',
    'tsconfig.json',
    'package-lock.json',
  ];
  const directory = buildOnce('website', inputs, buildInto);
  const files = listFiles(directory).map((key): WebsiteFile => {
    const content = fs.readFileSync(path.join(directory, key));
    return {
      key,
      contentType: contentTypeOf(key),
      cacheControl: cacheControlOf(key),
      sha256: createHash('sha256').update(content).digest('hex'),
      bytes: content.length,
    };
  });
  built = { directory, files };
  return built;
}

function buildInto(outdir: string): void {
  const { script, style } = buildPageAssets(
    [path.join(SOURCE_DIR, 'src', 'main.ts'), path.join(SOURCE_DIR, 'src', 'styles.css')],
    outdir,
    'website',
  );

  for (const page of PAGES) {
    fs.writeFileSync(path.join(outdir, page), renderPage(page, `/${script}`, `/${style}`));
  }
  for (const file of fs.readdirSync(path.join(SOURCE_DIR, 'public'))) {
    fs.copyFileSync(path.join(SOURCE_DIR, 'public', file), path.join(outdir, file));
  }
}

/**
 * Bundles a page's script and stylesheet into `<outdir>/assets/` with content-hashed names (minified,
 * source maps, for the browsers of the last few years) and returns their paths from the site's root.
 * The website and the local monitor's page are built alike.
 */
function buildPageAssets(
  entryPoints: readonly string[],
  outdir: string,
  what: string,
): { script: string; style: string } {
  const result = buildSync({
    entryPoints: [...entryPoints],
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
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) =>
    path.relative(outdir, path.resolve(file)).split(path.sep).join('/'),
  );
  const script = outputs.find((file) => file.endsWith('.js'));
  const style = outputs.find((file) => file.endsWith('.css'));
  if (script === undefined || style === undefined) {
    throw new Error(`${what} build produced no script or stylesheet`);
  }
  return { script, style };
}
