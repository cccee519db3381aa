// @tier e2e
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * What the project's ESLint says of `source` written at `file` (relative to the repository). Run
 * as its own process: the config is an ES module, which Jest's module system cannot load.
 */
function lint(file: string, source: string): string[] {
  const result = spawnSync(
    path.join(ROOT, 'node_modules/.bin/eslint'),
    ['--stdin', '--stdin-filename', file, '--format', 'json'],
    { cwd: ROOT, input: source, encoding: 'utf8' },
  );
  const [report] = JSON.parse(result.stdout) as {
    messages: { ruleId: string; message: string }[];
  }[];
  return report.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const RULE = 'packages/terraform-policy/src/rules/x.ts';

describe("the policy package's boundaries", () => {
  it("refuses a rule that imports the app's folders (the old homes of the zip reader and the thresholds)", () => {
    expect(
      lint(
        RULE,
        "import { readZip } from '../../../../bundling/zip';\nexport const z = readZip;\n",
      ),
    ).toEqual([
      expect.stringMatching(
        /^packages\/no-import-outside-package: \.\.\/\.\.\/\.\.\/\.\.\/bundling\/zip reaches outside the package @monitored\/terraform-policy/,
      ),
    ]);
  });

  it('takes its declared packages and peers, and refuses an undeclared one', () => {
    const declared =
      "import { TerraformModule } from '@monitored/terraform-json';\nimport { Aspects } from 'cdktf';\nexport const x = [TerraformModule, Aspects];\n";
    expect(lint(RULE, declared)).toEqual([]);
    expect(lint(RULE, "import { Ajv } from 'ajv';\nexport const a = Ajv;\n")).toEqual([
      expect.stringMatching(/^packages\/no-import-outside-package: ajv is not a dependency/),
    ]);
  });
});
