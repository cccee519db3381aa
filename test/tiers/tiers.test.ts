import { createRequire } from 'node:module';
import * as path from 'node:path';

interface Tiers {
  readonly TIERS: readonly string[];
  tierOfText(text: string, file: string): string;
  testFilesByTier(rootDir: string): Record<string, string[]>;
}
interface Project {
  readonly displayName: string;
  readonly testPathIgnorePatterns?: string[];
  readonly testRegex?: string[];
  readonly setupFilesAfterEnv?: string[];
  readonly globalSetup?: string;
}

// CommonJS, as Jest loads its config: read through require, the way jest.config.js reads it.
const load = createRequire(__filename);
const ROOT = path.join(__dirname, '..', '..');
const tiers = load('../support/tiers.cjs') as Tiers;
const config = load('../../jest.config.js') as { projects: Project[] };
const project = (name: string) => config.projects.find((p) => p.displayName === name)!;

describe('a test file names its tier on its first line', () => {
  it('is fast without a marker', () => {
    expect(tiers.tierOfText("import * as fs from 'node:fs';\n", 'a.test.ts')).toBe('fast');
  });

  it('is e2e with "// @tier e2e" as its first line', () => {
    expect(tiers.tierOfText("// @tier e2e\nimport * as fs from 'node:fs';\n", 'a.test.ts')).toBe(
      'e2e',
    );
  });

  it('only counts the marker on the first line', () => {
    expect(tiers.tierOfText("import * as fs from 'node:fs';\n// @tier e2e\n", 'a.test.ts')).toBe(
      'fast',
    );
  });

  it('refuses an unknown tier, naming the file and the tiers', () => {
    expect(() => tiers.tierOfText('// @tier slow\n', 'test/a.test.ts')).toThrow(
      'test/a.test.ts: unknown tier "slow" (the tiers: fast, e2e)',
    );
  });

  it('refuses a misspelt marker rather than running the file in the fast tier', () => {
    expect(() => tiers.tierOfText('// @tier: e2e\n', 'test/a.test.ts')).toThrow(
      'test/a.test.ts: write the tier marker as "// @tier e2e"',
    );
  });
});

describe('jest.config.js', () => {
  const byTier = tiers.testFilesByTier(ROOT);
  const thisFile = __filename;
  const e2eFile = path.join(__dirname, 'e2e-processes.test.ts');
  const matches = (patterns: string[] | undefined, file: string) =>
    (patterns ?? []).some((pattern) => new RegExp(pattern).test(file));

  it('reads the tiers of the files under test/ and packages/', () => {
    expect(byTier.fast).toContain(thisFile);
    expect(byTier.e2e).toContain(e2eFile);
    expect(byTier.fast).toContain(
      path.join(ROOT, 'packages', 'cloudwatch-model', 'test', 'schedules.test.ts'),
    );
  });

  it('keeps the e2e files out of the fast project and only them in the e2e project', () => {
    for (const file of byTier.e2e) {
      expect(matches(project('fast').testPathIgnorePatterns, file)).toBe(true);
      expect(matches(project('e2e').testRegex, file)).toBe(true);
    }
    for (const file of byTier.fast) {
      expect(matches(project('fast').testPathIgnorePatterns, file)).toBe(false);
      expect(matches(project('e2e').testRegex, file)).toBe(false);
    }
  });

  it('guards the fast tier against processes, builds its artifacts first, and starts DynamoDB Local only for e2e', () => {
    expect(project('fast').setupFilesAfterEnv).toEqual(['<rootDir>/test/support/no-processes.ts']);
    expect(project('fast').globalSetup).toBe('<rootDir>/test/support/fast-setup.ts');
    expect(project('e2e').setupFilesAfterEnv).toBeUndefined();
    expect(project('e2e').globalSetup).toBe('<rootDir>/test/support/global-setup.ts');
  });
});
