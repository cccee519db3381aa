// @tier e2e
/**
 * pre-merge.yml on a pull request, rehearsed in a clean clone (rehearsal/): every step runs as
 * written but `npm ci` and the test suite, which stand in as setup.ts says. Then the same
 * workflow with its test step broken the way the issue found it, to prove the rehearsal fails it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkflowRun } from './rehearsal/runner';
import {
  SMALL_TEST,
  setUpRehearsals,
  STAND_INS,
  WORKFLOWS,
  type Rehearsals,
} from './rehearsal/setup';

const PULL_REQUEST = 'refs/pull/1/merge';

async function pullRequest(
  rehearsals: Rehearsals,
  { workflowsDir = WORKFLOWS, lint = true } = {},
): Promise<WorkflowRun> {
  const sha = rehearsals.repository.sha();
  rehearsals.repository.setRef(PULL_REQUEST, sha);
  return rehearsals.run('pre-merge.yml', {
    workflowsDir,
    event: { name: 'pull_request', ref: PULL_REQUEST, sha },
    standIns: [STAND_INS.npmCi, STAND_INS.testSuite, ...(lint ? [] : [STAND_INS.lint])],
  });
}

describe('a pull request, rehearsed', () => {
  let rehearsals: Rehearsals;
  let run: WorkflowRun;

  beforeAll(async () => {
    rehearsals = setUpRehearsals();
    run = await pullRequest(rehearsals);
  }, 600_000);
  afterAll(() => rehearsals.cleanup());

  it('passes every step', () => {
    expect(run.failures()).toEqual([]);
    expect(run.conclusion).toBe('success');
  });

  it('runs every step as written but npm ci and the test suite', () => {
    const steps = run.job('checks').steps;
    expect(steps.filter((step) => step.standIn !== undefined).map((step) => step.name)).toEqual([
      'Run npm ci',
      'Test',
    ]);
    expect(steps.every((step) => step.conclusion === 'success')).toBe(true);
  });

  it("keeps the test step's own Jest report and the synthesized Terraform as artifacts", () => {
    const report = JSON.parse(
      fs.readFileSync(path.join(run.artifacts, 'test-report', 'jest-results.json'), 'utf8'),
    ) as { success: boolean; testResults: { name: string }[] };
    expect(report.success).toBe(true);
    expect(report.testResults).toHaveLength(1);
    expect(report.testResults[0].name.endsWith(`/${SMALL_TEST}`)).toBe(true);
    for (const file of ['manifest.json', 'stacks/dev/cdk.tf.json', 'stacks/prod/cdk.tf.json']) {
      expect({
        file,
        kept: fs.existsSync(path.join(run.artifacts, 'synthesized-terraform', file)),
      }).toEqual({
        file,
        kept: true,
      });
    }
  });

  it('gives no warning', () => {
    expect(run.annotations.filter((annotation) => annotation.level !== 'notice')).toEqual([]);
  });

  it('says where this machine differs from the runner: the Node.js version asked for', () => {
    expect(run.notes.join('\n')).toMatch(/setup-node asks for Node 22/);
  });
});

describe('a broken step, rehearsed', () => {
  let rehearsals: Rehearsals;
  let folder: string;

  beforeAll(() => {
    rehearsals = setUpRehearsals();
    folder = path.join(rehearsals.folder, 'broken-workflows');
    fs.cpSync(WORKFLOWS, folder, { recursive: true });
  });
  afterAll(() => rehearsals.cleanup());

  it('fails, naming the step, when a step writes into a folder a clean checkout lacks', async () => {
    const file = path.join(folder, 'pre-merge.yml');
    const original = fs.readFileSync(file, 'utf8');
    // The report into reports/, which no clean checkout has: the defect the issue found.
    const broken = original.replace(
      /run: .*npm test -- (.*)$/m,
      'run: npm test -- --ci --json --outputFile=missing-folder/report.json',
    );
    expect(broken).not.toBe(original);
    fs.writeFileSync(file, broken);

    // Lint ran as written above; here it would only add a minute.
    const run = await pullRequest(rehearsals, { workflowsDir: folder, lint: false });

    expect(run.conclusion).toBe('failure');
    const failures = run.failures();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^checks \/ Test:\n/);
    expect(failures[0]).toMatch(
      /ENOENT: no such file or directory, open '.*\/missing-folder\/report\.json'/,
    );
    expect(run.step('checks', 'Synth').conclusion).toBe('skipped');
  }, 600_000);
});
