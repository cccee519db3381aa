// @tier e2e
/**
 * Every package refuses, in `npm run lint`, an import of the app's folders and a relative path
 * into another package: the boundary rule (eslint.config.mjs, `packages/no-import-outside-package`)
 * as ESLint runs it, in its own process (the config is an ES module Jest cannot load).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGES = fs
  .readdirSync(path.join(ROOT, 'packages'))
  .filter((name) => fs.existsSync(path.join(ROOT, 'packages', name, 'package.json')));

/** What the project's ESLint says of `source` written at `file` (relative to the repository). */
function lint(file: string, source: string): string[] {
  const result = spawnSync(
    path.join(ROOT, 'node_modules/.bin/eslint'),
    ['--stdin', '--stdin-filename', file, '--format', 'json'],
    { cwd: ROOT, input: source, encoding: 'utf8' },
  );
  const [report] = JSON.parse(result.stdout) as { messages: { ruleId: string }[] }[];
  return report.messages.map(({ ruleId }) => ruleId);
}

describe('the packages’ boundaries', () => {
  it('finds every package', () => {
    expect(PACKAGES.length).toBeGreaterThanOrEqual(5);
  });

  it.each(PACKAGES)('%s may not import an app folder nor reach into another package', (name) => {
    const other = PACKAGES.find((each) => each !== name)!;
    const source = [
      "import { STAGES } from '../../../stacks/config';",
      `import * as other from '../../${other}/src/index';`,
      'export const both = [STAGES, other];',
      '',
    ].join('\n');

    expect(lint(`packages/${name}/src/boundary-probe.ts`, source)).toEqual([
      'packages/no-import-outside-package',
      'packages/no-import-outside-package',
    ]);
  });

  it('lets the app import a package by its name', () => {
    const source =
      "import { AWS_METRICS } from '@monitored/cloudwatch-model';\nexport const m = AWS_METRICS;\n";
    expect(lint('stacks/boundary-probe.ts', source)).toEqual([]);
  });
});
