// @tier e2e
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const IMPORT =
  "import { runSimulation } from '@cloud-copilot/iam-simulate';\nexport const run = runSimulation;\n";

/**
 * What the project's ESLint says of `IMPORT` written at `file`. Run as its own process: the
 * config is an ES module, which Jest's module system cannot load.
 */
function lint(file: string): { status: number | null; messages: string[] } {
  const result = spawnSync(
    path.join(ROOT, 'node_modules/.bin/eslint'),
    ['--stdin', '--stdin-filename', file, '--format', 'json'],
    { cwd: ROOT, input: IMPORT, encoding: 'utf8' },
  );
  const [report] = JSON.parse(result.stdout) as {
    messages: { ruleId: string; message: string }[];
  }[];
  return {
    status: result.status,
    messages: report.messages.map((m) => `${m.ruleId}: ${m.message}`),
  };
}

describe('the AGPL IAM engine', () => {
  it.each(['stacks/bootstrap/x.ts', 'lambda/x.ts', 'scripts/x.ts'])(
    'may not be imported by shipped code (%s)',
    (file) => {
      expect(lint(file)).toEqual({
        status: 1,
        messages: [expect.stringMatching(/^no-restricted-imports: .*for tests only/)],
      });
    },
  );

  it('may be imported by tests', () => {
    expect(lint('test/support/iam/x.ts')).toEqual({ status: 0, messages: [] });
  });
});
