// @tier e2e
/**
 * The runner on small workflows written here, one behaviour each, against GitHub's documented
 * semantics (workflow syntax, variables, workflow commands, reusing workflows, concurrency).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkflowRun } from './runner';
import { setUpRehearsals, STAND_INS, type Rehearsals } from './setup';

let rehearsals: Rehearsals;
let folder: string;

beforeAll(() => {
  rehearsals = setUpRehearsals();
  folder = path.join(rehearsals.folder, 'workflows');
  fs.mkdirSync(folder);
});
afterAll(() => rehearsals.cleanup());

/** Runs `yaml` as workflow `name` on a push to main. */
async function run(
  yaml: string,
  name = 'test.yml',
  vars: Record<string, string> = {},
): Promise<WorkflowRun> {
  fs.writeFileSync(path.join(folder, name), yaml);
  return rehearsals.run(name, {
    workflowsDir: folder,
    event: { name: 'push', ref: 'refs/heads/main', sha: rehearsals.repository.sha() },
    vars,
  });
}

const job = (steps: string, extra = '') => `
on: push
${extra}
jobs:
  j:
    runs-on: ubuntu-24.04
    steps:
${steps}`;

const conclusions = (result: WorkflowRun, jobPath = 'j') =>
  result.job(jobPath).steps.map((step) => [step.name, step.conclusion]);

describe('the rehearsal runner', () => {
  it('runs a step without shell as bash -e: a failing command in the middle fails the step', async () => {
    const result = await run(job(`      - run: |\n          false\n          echo after`));
    expect(result.conclusion).toBe('failure');
    expect(result.job('j').steps[0].output).not.toContain('after');
  });

  it('runs shell: bash with pipefail, and no shell without it', async () => {
    const result = await run(
      job(
        `      - name: default\n        run: false | true\n      - name: bash\n        if: always()\n        shell: bash\n        run: false | true`,
      ),
    );
    expect(conclusions(result)).toEqual([
      ['default', 'success'],
      ['bash', 'failure'],
    ]);
  });

  it('starts each job in an empty workspace: nothing of the repository before checkout, no ignored folder after', async () => {
    const result = await run(
      job(
        `      - name: before\n        run: test -z "$(ls -A)"\n` +
          `      - uses: actions/checkout@v6\n` +
          `      - name: after\n        run: test -f package.json && test ! -e node_modules && test ! -e .local && test ! -e reports`,
      ),
    );
    expect(result.failures()).toEqual([]);
  });

  it('sets the documented default variables, which a workflow cannot override', async () => {
    const result = await run(
      job(
        `      - env:\n          GITHUB_SHA: overridden\n        run: |\n` +
          `          test "$CI" = true && test "$GITHUB_ACTIONS" = true && test "$RUNNER_OS" = Linux\n` +
          `          test "$GITHUB_REF" = refs/heads/main && test "$GITHUB_REF_NAME" = main && test "$GITHUB_EVENT_NAME" = push\n` +
          `          test "$GITHUB_SHA" = "${rehearsals.repository.sha()}" && test "$GITHUB_REPOSITORY" = octo-org/monitored-messages\n` +
          `          test "$GITHUB_WORKSPACE" = "$PWD" && test -d "$RUNNER_TEMP" && test -n "$GITHUB_RUN_ID"\n` +
          `          test "$GITHUB_SERVER_URL" = https://github.com && test -w "$GITHUB_STEP_SUMMARY"\n` +
          `          test -z "\${JEST_WORKER_ID:-}" && test -z "\${TEST_DYNAMODB_ENDPOINT:-}"`,
      ),
    );
    expect(result.failures()).toEqual([]);
  });

  it('passes outputs, the multiline form included, and GITHUB_ENV and GITHUB_PATH to later steps', async () => {
    const result = await run(
      job(
        `      - id: write\n        run: |\n          echo "one=1" >> "$GITHUB_OUTPUT"\n` +
          `          { echo "text<<EOF"; echo "a"; echo "b"; echo "EOF"; } >> "$GITHUB_OUTPUT"\n` +
          `          echo "FROM_ENV=set" >> "$GITHUB_ENV"\n          mkdir -p "$RUNNER_TEMP/bin" && printf '#!/bin/sh\\necho tool\\n' > "$RUNNER_TEMP/bin/tool" && chmod +x "$RUNNER_TEMP/bin/tool"\n` +
          `          echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"\n` +
          `      - if: steps.write.outputs.one == 1\n        env:\n          TEXT: \${{ steps.write.outputs.text }}\n` +
          `        run: |\n          test "$TEXT" = "$(printf 'a\\nb')" && test "$FROM_ENV" = set && test "\${{ env.FROM_ENV }}" = set && test "$(tool)" = tool`,
      ),
    );
    expect(result.failures()).toEqual([]);
    expect(conclusions(result).map(([, conclusion]) => conclusion)).toEqual(['success', 'success']);
  });

  it('fails a step whose GITHUB_OUTPUT delimiter is never closed', async () => {
    const result = await run(job(`      - run: echo "x<<EOF" >> "$GITHUB_OUTPUT"`));
    expect(result.failures().join('\n')).toMatch(/matching delimiter not found 'EOF'/);
  });

  it('runs a step after a failure only if its condition asks (always(), failure()), and records outcome and conclusion', async () => {
    const result = await run(
      job(
        `      - id: bad\n        continue-on-error: true\n        run: exit 3\n` +
          `      - name: sees outcome\n        run: test "\${{ steps.bad.outcome }}/\${{ steps.bad.conclusion }}" = failure/success\n` +
          `      - name: fails\n        run: exit 1\n      - name: skipped\n        run: true\n` +
          `      - name: always\n        if: \${{ always() }}\n        run: true\n` +
          `      - name: on failure\n        if: failure()\n        run: true`,
      ),
    );
    expect(conclusions(result)).toEqual([
      ['Run exit 3', 'success'],
      ['sees outcome', 'success'],
      ['fails', 'failure'],
      ['skipped', 'skipped'],
      ['always', 'success'],
      ['on failure', 'success'],
    ]);
  });

  it('refuses a context a key does not allow', async () => {
    const result = await run(`
on: push
jobs:
  j:
    if: env.X == 'y'
    runs-on: ubuntu-24.04
    steps:
      - run: true`);
    expect(result.conclusion).toBe('startup_failure');
    expect(result.startupError).toMatch(/Unrecognized named-value: 'env'/);
  });

  it('skips a job whose needs failed, unless its condition asks, and passes job outputs through needs', async () => {
    const result = await run(`
on: push
jobs:
  first:
    runs-on: ubuntu-24.04
    outputs:
      value: \${{ steps.out.outputs.value }}
    steps:
      - id: out
        run: echo "value=42" >> "$GITHUB_OUTPUT"
  second:
    needs: first
    runs-on: ubuntu-24.04
    steps:
      - run: test "\${{ needs.first.outputs.value }}" = 42 && exit 1
  third:
    needs: second
    runs-on: ubuntu-24.04
    steps:
      - run: true
  cleanup:
    needs: second
    if: always() && needs.second.result == 'failure'
    runs-on: ubuntu-24.04
    steps:
      - run: true`);
    expect(result.jobs.map((j) => [j.path, j.result])).toEqual([
      ['first', 'success'],
      ['second', 'failure'],
      ['third', 'skipped'],
      ['cleanup', 'success'],
    ]);
  });

  it('calls a reusable workflow with typed inputs and reads its outputs', async () => {
    fs.writeFileSync(
      path.join(folder, 'called.yml'),
      `
on:
  workflow_call:
    inputs:
      word: { type: string, required: true }
      flag: { type: boolean, default: false }
    outputs:
      echoed: { value: '\${{ jobs.inner.outputs.echoed }}' }
jobs:
  inner:
    runs-on: ubuntu-24.04
    outputs:
      echoed: \${{ steps.e.outputs.echoed }}
    steps:
      - id: e
        run: echo "echoed=\${{ inputs.word }}-\${{ inputs.flag }}-\${{ github.event_name }}" >> "$GITHUB_OUTPUT"`,
    );
    const result = await run(`
on: push
jobs:
  call:
    uses: ./.github/workflows/called.yml
    with:
      word: hello
      flag: \${{ github.ref == 'refs/heads/main' }}
  after:
    needs: call
    runs-on: ubuntu-24.04
    steps:
      - run: test "\${{ needs.call.outputs.echoed }}" = hello-true-push`);
    expect(result.failures()).toEqual([]);
    expect(result.jobs.map((j) => j.path)).toEqual(['call/inner', 'after']);
  });

  it('refuses a call with an undeclared input, or a called job asking for more permissions than its caller gives', async () => {
    fs.writeFileSync(
      path.join(folder, 'greedy.yml'),
      `
on:
  workflow_call:
jobs:
  inner:
    runs-on: ubuntu-24.04
    permissions:
      id-token: write
    steps:
      - run: true`,
    );
    const undeclared = await run(`
on: push
jobs:
  call:
    uses: ./.github/workflows/greedy.yml
    with:
      nope: 1`);
    expect(undeclared.startupError).toMatch(
      /Invalid input, nope is not defined in the referenced workflow/,
    );
    const greedy = await run(`
on: push
permissions:
  contents: read
jobs:
  call:
    uses: ./.github/workflows/greedy.yml`);
    expect(greedy.startupError).toMatch(
      /the nested job 'inner' is requesting 'id-token: write', but is only allowed 'id-token: none'/,
    );
  });

  it("fails a called workflow that asks for its caller's concurrency group: GitHub's deadlock", async () => {
    fs.writeFileSync(
      path.join(folder, 'grouped.yml'),
      `
on:
  workflow_call:
concurrency:
  group: \${{ github.workflow }}-\${{ github.ref }}
jobs:
  inner:
    runs-on: ubuntu-24.04
    steps:
      - run: true`,
    );
    const result = await run(`
name: outer
on: push
concurrency:
  group: \${{ github.workflow }}-\${{ github.ref }}
jobs:
  call:
    uses: ./.github/workflows/grouped.yml`);
    expect(result.startupError).toMatch(
      /deadlock was detected for concurrency group: 'outer-refs\/heads\/main'/,
    );
  });

  it('fails an action input that is required and not given, and warns of one the action does not have', async () => {
    const result = await run(
      job(`      - uses: actions/upload-artifact@v4\n        with:\n          nme: typo`),
    );
    expect(result.failures().join('\n')).toMatch(/Input required and not supplied: path/);
    expect(result.annotations.map((a) => a.message).join('\n')).toMatch(
      /Unexpected input\(s\) 'nme'/,
    );
  });

  it("applies upload-artifact's if-no-files-found", async () => {
    const result = await run(
      job(
        `      - uses: actions/upload-artifact@v4\n        with:\n          name: a\n          path: nothing/here\n` +
          `      - uses: actions/upload-artifact@v4\n        with:\n          name: b\n          path: nothing/here\n          if-no-files-found: error`,
      ),
    );
    expect(result.annotations.map((a) => `${a.level}: ${a.message}`)).toEqual([
      'warning: No files were found with the provided path: nothing/here. No artifacts will be uploaded.',
    ]);
    expect(result.failures().join('\n')).toMatch(
      /No files were found with the provided path: nothing\/here/,
    );
  });

  it('refuses to run the whole test suite inside the rehearsal without its stand-in', async () => {
    const result = await run(job(`      - name: Test\n        run: npm test`));
    expect(result.failures().join('\n')).toMatch(/does not run the whole test suite inside itself/);
    expect(STAND_INS.testSuite.matches('mkdir -p reports && npm test -- --ci')).toBe(true);
  });

  it('gives a job in an environment its OIDC subject, and one where the plan has no reviewers no approval', async () => {
    const result = await run(`
on: push
jobs:
  j:
    runs-on: ubuntu-24.04
    environment: prod
    steps:
      - run: true`);
    // A private repository on Team: prod's branch rule applies (main may deploy), reviewers do not exist.
    expect(result.job('j')).toMatchObject({
      result: 'success',
      environment: { name: 'prod', approvedBy: undefined },
    });
  });
});
