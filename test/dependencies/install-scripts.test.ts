/**
 * npm 11 lists, at every install, the dependencies whose install scripts nobody reviewed, unless
 * package.json's `allowScripts` approves or denies each (npm docs, "npm approve-scripts"). Every
 * package of the lockfile that has one must be decided there, each for a written reason (the
 * "Dependencies" section of docs/architecture.md), and nothing else named.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
};

/** `name@version` of each package in the lockfile that has an install script. */
const withScripts = Object.entries(lock.packages)
  .filter(([, entry]) => entry.hasInstallScript === true)
  .map(([location, entry]) => `${location.replace(/^.*node_modules\//, '')}@${entry.version}`)
  .sort();

/** The package an `allowScripts` key names: `esbuild@0.28.2` or `@parcel/watcher`. */
const nameOf = (key: string) => key.replace(/(?<=.)@[^@]*$/, '');

describe("package.json's allowScripts", () => {
  it('decides every install script of the lockfile', () => {
    const decided = Object.keys(manifest.allowScripts ?? {});
    const undecided = withScripts.filter(
      (pinned) => !decided.includes(pinned) && !decided.includes(nameOf(pinned)),
    );

    expect(withScripts.length).toBeGreaterThan(0);
    expect(undecided).toEqual([]);
  });

  it('names only packages that have one, by name: the lockfile keeps no `resolved` URL, and npm matches a pinned entry only against one', () => {
    const names = withScripts.map(nameOf);
    for (const key of Object.keys(manifest.allowScripts ?? {})) {
      expect(names).toContain(key);
    }
  });
});
