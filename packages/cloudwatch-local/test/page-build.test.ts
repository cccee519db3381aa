import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { monitorPage } from '../src/artifacts';

// The budget of the dashboard page (README, "Dashboard preview"): what a first visit downloads,
// source maps aside, gzip-compressed as the monitor serves it. Most of the script is its three
// libraries: uPlot (~23 KB), marked (~15 KB) and DOMPurify (~13 KB).
const SCRIPT_BUDGET = 72 * 1024;
const PAGE_BUDGET = 80 * 1024;

const build = monitorPage();
const gzipped = (key: string) =>
  gzipSync(fs.readFileSync(path.join(build.directory, key)), { level: 9 }).length;
const loaded = build.files.filter((file) => !file.key.endsWith('.map'));

describe('the dashboard page build', () => {
  it(`ships one script of at most ${SCRIPT_BUDGET / 1024} KB gzip`, () => {
    const scripts = loaded.filter((file) => file.key.endsWith('.js'));
    expect(scripts).toHaveLength(1);
    expect(gzipped(scripts[0].key)).toBeLessThanOrEqual(SCRIPT_BUDGET);
  });

  it(`transfers at most ${PAGE_BUDGET / 1024} KB for the whole page`, () => {
    const total = loaded.reduce((sum, file) => sum + gzipped(file.key), 0);
    expect(total).toBeLessThanOrEqual(PAGE_BUDGET);
  });

  it('names its script and stylesheet by content hash and points the HTML at them', () => {
    const html = fs.readFileSync(path.join(build.directory, 'index.html'), 'utf8');
    expect(html).toMatch(/<script src="\/assets\/main-[A-Z0-9]{8}\.js" defer><\/script>/);
    expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/styles-[A-Z0-9]{8}\.css" \/>/);
    expect(html).not.toContain('{{');
    expect(html).not.toMatch(/<script>|style=/);
  });
});
