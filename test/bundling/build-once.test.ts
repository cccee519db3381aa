import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILD_DIR, buildOnce } from '../../bundling/paths';

// Each test builds a kind of its own from an input file of its own under .build/.
let kind: string;
let inputRelative: string;
let input: string;

beforeEach(() => {
  kind = `test-${randomUUID()}`;
  inputRelative = path.join('.build', `${kind}-input.txt`);
  input = path.join(BUILD_DIR, `${kind}-input.txt`);
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  fs.writeFileSync(input, 'one');
});
afterEach(() => {
  fs.rmSync(input, { force: true });
  fs.rmSync(path.join(BUILD_DIR, kind), { recursive: true, force: true });
});

describe('buildOnce', () => {
  it('builds once per set of inputs, and again when an input changes', () => {
    const build = jest.fn((outdir: string) =>
      fs.writeFileSync(path.join(outdir, 'out.txt'), fs.readFileSync(input)),
    );
    const first = buildOnce(kind, [inputRelative], build);
    expect(fs.readFileSync(path.join(first, 'out.txt'), 'utf8')).toBe('one');
    expect(buildOnce(kind, [inputRelative], build)).toBe(first);
    expect(build).toHaveBeenCalledTimes(1);

    fs.writeFileSync(input, 'two');
    const second = buildOnce(kind, [inputRelative], build);
    expect(second).not.toBe(first);
    expect(fs.readFileSync(path.join(second, 'out.txt'), 'utf8')).toBe('two');
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('leaves nothing behind when the build fails', () => {
    expect(() =>
      buildOnce(kind, [inputRelative], () => {
        throw new Error('compile error');
      }),
    ).toThrow('compile error');
    expect(
      fs.readdirSync(path.join(BUILD_DIR, kind)).filter((entry) => entry.startsWith('.staging-')),
    ).toEqual([]);
  });
});
