import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWebsite } from '../../bundling/website';
import { TEST_IDS } from '../../contract/website';

// What a first visit downloads: everything but the source maps, gzip-compressed as CloudFront serves it.
const build = buildWebsite();
const gzipped = (key: string) =>
  gzipSync(fs.readFileSync(path.join(build.directory, key)), { level: 9 }).length;
const loaded = build.files.filter((file) => !file.key.endsWith('.map'));

describe('website budgets', () => {
  it('ships one script of at most 10 KB gzip', () => {
    const scripts = loaded.filter((file) => file.key.endsWith('.js'));
    expect(scripts).toHaveLength(1);
    expect(gzipped(scripts[0].key)).toBeLessThanOrEqual(10 * 1024);
  });

  it('transfers at most 30 KB for the whole page', () => {
    const total = loaded.reduce((sum, file) => sum + gzipped(file.key), 0);
    expect(total).toBeLessThanOrEqual(30 * 1024);
  });

  it('names scripts and styles by content hash, with a source map next to each', () => {
    const assets = loaded.filter((file) => file.key.startsWith('assets/'));
    expect(assets.map((asset) => path.extname(asset.key)).sort()).toEqual(['.css', '.js']);
    for (const asset of assets) {
      expect(asset.key).toMatch(/^assets\/\w+-[A-Z0-9]{8}\.(js|css)$/);
      expect(build.files.map((file) => file.key)).toContain(`${asset.key}.map`);
      expect(asset.cacheControl).toBe('public, max-age=31536000, immutable');
    }
    expect(build.files.find((file) => file.key === 'index.html')?.cacheControl).toBe('no-cache');
  });

  it('renders every data-testid from the contract, and no placeholder', () => {
    const html = fs.readFileSync(path.join(build.directory, 'index.html'), 'utf8');
    expect(html).not.toContain('{{');
    for (const id of Object.values(TEST_IDS)) expect(html).toContain(`data-testid="${id}"`);
    expect(html).toMatch(/<script src="\/assets\/main-[A-Z0-9]{8}\.js" defer><\/script>/);
  });
});
