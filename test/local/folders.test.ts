import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureDirectory, UnusablePathError } from '../../local/folders';

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'folders-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

describe('ensureDirectory', () => {
  it('makes a folder and its missing parents, and takes one that exists', () => {
    const nested = path.join(work, 'a', 'b', 'c');

    ensureDirectory(nested);
    ensureDirectory(nested);

    expect(fs.statSync(nested).isDirectory()).toBe(true);
  });

  // Node's mkdirSync(dir, { recursive: true }) never returns for these.
  it.each(['/proc/msgs-nope', '/proc/msgs-nope/deeper', '/proc/self/msgs-nope'])(
    'refuses %s, under /proc, at once',
    (dir) => {
      expect(() => ensureDirectory(dir)).toThrow(UnusablePathError);
      expect(() => ensureDirectory(dir)).toThrow(/^cannot create the folder .+: ENOENT/);
    },
  );

  it('refuses a path through a file, naming the file', () => {
    const file = path.join(work, 'a-file');
    fs.writeFileSync(file, '');

    expect(() => ensureDirectory(path.join(file, 'x', 'y'))).toThrow(
      `cannot create the folder ${path.join(file, 'x', 'y')}: ${file} is a file, not a folder`,
    );
    expect(() => ensureDirectory(file)).toThrow(`${file} is a file, not a folder`);
  });
});
