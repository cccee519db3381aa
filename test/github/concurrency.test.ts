/**
 * Which commits reach each stage, under GitHub's concurrency groups (rehearsal/concurrency.ts),
 * with the groups and flags post-merge.yml really asks for; the newest-only step itself is
 * rehearsed in rehearsal-push-to-main.test.ts.
 */
import * as fc from 'fast-check';
import * as path from 'node:path';
import { simulate, type Merge } from './rehearsal/concurrency';
import { WORKFLOWS } from './rehearsal/setup';
import { readWorkflow } from './rehearsal/workflow';

const postMerge = readWorkflow(path.join(WORKFLOWS, 'post-merge.yml'));
const preMerge = readWorkflow(path.join(WORKFLOWS, 'pre-merge.yml'));
const deployStage = readWorkflow(path.join(WORKFLOWS, 'deploy-stage.yml'));

/** Never an older commit after a newer one (the same one again is a redeploy). */
const increasing = (commits: number[]) =>
  commits.every((commit, at) => at === 0 || commit >= commits[at - 1]);

describe('the model follows the workflows', () => {
  it('queues the checks per ref, never cancelling a push; each stage in its own group, never cancelling a deploy', () => {
    expect(preMerge.concurrency).toEqual({
      group: 'pre-merge-${{ github.ref }}',
      'cancel-in-progress': "${{ github.event_name == 'pull_request' }}",
    });
    expect(deployStage.jobs.deploy.concurrency).toEqual({
      group: 'deploy-${{ inputs.stage }}',
      'cancel-in-progress': false,
    });
  });

  it('asks for newest-only in both post-merge deploys', () => {
    expect(postMerge.jobs['deploy-dev'].with?.['newest-only']).toBe(true);
    expect(postMerge.jobs['deploy-prod'].with?.['newest-only']).toBe(true);
  });
});

describe('which commits get deployed', () => {
  it('three merges during a deploy: dev gets the first and the third; prod only the third', () => {
    const merges: Merge[] = [
      { at: 0, checks: 10 },
      { at: 11, checks: 10 },
      { at: 12, checks: 10 },
    ];
    // Checks: the first's 0-10, the second's 11-21, the third's waited and ran 21-31. Dev
    // deployed the first 10-25; the second's deploy waited, and at 25 deployed nothing: main had
    // moved on to the third. So did the first's prod deploy, at 25. The third's went through.
    const outcome = simulate(merges, { deployMinutes: 15, newestOnly: true });
    expect(outcome.deployed).toEqual({ dev: [0, 2], prod: [2] });
  });

  it('a third merge replaces the second while both wait: the second is never even checked', () => {
    const merges: Merge[] = [
      { at: 0, checks: 10 },
      { at: 1, checks: 10 },
      { at: 2, checks: 10 },
    ];
    const outcome = simulate(merges, { deployMinutes: 15, newestOnly: true });
    expect(outcome.cancelled).toEqual(['checks of merge 1']);
    expect(outcome.deployed).toEqual({ dev: [2], prod: [2] });
  });

  const mergesArbitrary = fc
    .array(
      fc.record({ gap: fc.integer({ min: 0, max: 30 }), checks: fc.integer({ min: 1, max: 20 }) }),
      {
        minLength: 1,
        maxLength: 7,
      },
    )
    .map((list) => {
      let time = 0;
      return list.map(({ gap, checks }) => ({ at: (time += gap), checks }));
    });

  it('never deploys a stage an older commit after a newer one, and ends with the newest everywhere', () => {
    fc.assert(
      fc.property(mergesArbitrary, fc.integer({ min: 1, max: 20 }), (merges, deployMinutes) => {
        const { deployed } = simulate(merges, { deployMinutes, newestOnly: true });
        const newest = merges.length - 1;
        return (
          increasing(deployed.dev) &&
          increasing(deployed.prod) &&
          deployed.dev.at(-1) === newest &&
          deployed.prod.at(-1) === newest
        );
      }),
      { numRuns: 500 },
    );
  });

  it("needs main's checks in one group: side by side, an older commit's slower checks could replace the newest's waiting deploy", () => {
    const merges: Merge[] = [
      { at: 0, checks: 1 },
      { at: 2, checks: 20 },
      { at: 3, checks: 5 },
    ];
    const options = { deployMinutes: 30, newestOnly: true };
    expect(simulate(merges, { ...options, checksInGroup: false }).deployed.dev).toEqual([0]);
    expect(simulate(merges, options).deployed.dev).toEqual([0, 2]);
  });

  it('needs the newest-only step: a late re-run of an older deploy would otherwise go back', () => {
    const merges: Merge[] = [
      { at: 0, checks: 10 },
      { at: 30, checks: 10 },
    ];
    const reruns = [{ of: 0, at: 90 }];
    expect(simulate(merges, { deployMinutes: 5, newestOnly: false, reruns }).deployed.dev).toEqual([
      0, 1, 0,
    ]);
    expect(simulate(merges, { deployMinutes: 5, newestOnly: true, reruns }).deployed.dev).toEqual([
      0, 1,
    ]);
  });

  it('keeps the order with re-runs at any time', () => {
    fc.assert(
      fc.property(
        mergesArbitrary,
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.record({ of: fc.nat(), at: fc.integer({ min: 0, max: 300 }) }), {
          maxLength: 3,
        }),
        (merges, deployMinutes, reruns) => {
          const valid = reruns.map((rerun) => ({ of: rerun.of % merges.length, at: rerun.at }));
          const { deployed } = simulate(merges, { deployMinutes, newestOnly: true, reruns: valid });
          return increasing(deployed.dev) && increasing(deployed.prod);
        },
      ),
      { numRuns: 500 },
    );
  });
});
