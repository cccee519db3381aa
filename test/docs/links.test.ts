/**
 * The README is the front door and docs/ holds the rest: the README stays short, and every
 * relative link in it and in docs/*.md leads to a file that exists, and to a heading (or an HTML
 * `id`) of that file when it names one, so that moving text between pages cannot leave a dead link.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
/** The README's length, as the issue asks for a front door (about 150 lines), with some slack. */
const README_MAX_LINES = 160;

const PAGES = [
  'README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`),
];

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The text outside fenced code blocks and code spans: what a Markdown renderer makes links of. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '`…`');
}

/**
 * The anchors GitHub gives a page's headings: lower case, punctuation other than `-` and `_`
 * dropped, spaces made dashes, and `-1`, `-2`, … after a repeated one; and any HTML `id`/`name`.
 */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const [, heading] of withoutCode.matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const slug = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  for (const [, id] of withoutCode.matchAll(/<[a-z]+[^>]*\s(?:id|name)="([^"]+)"/g))
    anchors.add(id);
  return anchors;
}

/** Each relative link of a page: its target file (relative to the root) and its anchor. */
function relativeLinks(page: string): { link: string; file: string; anchor?: string }[] {
  return [...prose(read(page)).matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g)]
    .map(([, link]) => link)
    .filter((link) => !/^[a-z][a-z0-9+.-]*:/i.test(link))
    .map((link) => {
      const [target, anchor] = link.split('#', 2);
      const file =
        target === ''
          ? page
          : path.posix.normalize(path.posix.join(path.posix.dirname(page), target));
      return { link, file, anchor };
    });
}

describe('the README and docs/', () => {
  it(`keep the README to ${README_MAX_LINES} lines at most`, () => {
    expect(read('README.md').trimEnd().split('\n').length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('link the README to every page of docs/', () => {
    const linked = new Set(relativeLinks('README.md').map(({ file }) => file));
    expect(PAGES.filter((page) => page !== 'README.md' && !linked.has(page))).toEqual([]);
  });

  it('start each page of docs/ with who it is for', () => {
    const without = PAGES.filter((page) => page.startsWith('docs/')).filter(
      (page) => !/^# .+\n\n\*\*For\b/.test(read(page)),
    );
    expect(without).toEqual([]);
  });

  it.each(PAGES)('%s links only to files that exist, and to anchors they have', (page) => {
    const dead = relativeLinks(page).filter(({ file, anchor }) => {
      const target = path.join(ROOT, file);
      if (file.startsWith('..') || !fs.existsSync(target)) return true;
      if (anchor === undefined || !file.endsWith('.md')) return false;
      return !anchorsOf(read(file)).has(anchor);
    });
    expect(dead.map(({ link }) => link)).toEqual([]);
  });

  it('finds the anchors GitHub makes, so that the check above can fail', () => {
    const anchors = anchorsOf(
      "# Title\n## A new stage's first hours\n### 1. Prerequisites\n## `npm start`, the monitor\n## Repeat\n## Repeat\n```\n## not a heading\n```\n",
    );
    expect([...anchors]).toEqual([
      'title',
      'a-new-stages-first-hours',
      '1-prerequisites',
      'npm-start-the-monitor',
      'repeat',
      'repeat-1',
    ]);
    expect(
      relativeLinks('README.md').length + relativeLinks('docs/runbook.md').length,
    ).toBeGreaterThan(10);
  });
});
