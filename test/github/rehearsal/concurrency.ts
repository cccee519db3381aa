/**
 * A model of GitHub's concurrency groups as "Control the concurrency of workflows and jobs"
 * documents them
 * (https://docs.github.com/en/actions/how-tos/write-workflows/choose-when-workflows-run/control-workflow-concurrency):
 * "at most one running and one pending job in a concurrency group"; a newly queued job cancels
 * the pending one and takes its place; with cancel-in-progress false the running one finishes.
 * Jobs queued at the same moment are "handled in an arbitrary order": the model takes the order
 * it is given, and its tests vary it.
 *
 * simulate() runs post-merge.yml's shape through it: each merge's checks in the group
 * pre-merge-refs/heads/main, then its dev deploy in deploy-dev, then prod in deploy-prod; a deploy
 * that starts asks, as deploy-stage.yml's newest-only step does, whether its commit is still
 * main's newest, and deploys nothing if not.
 */

interface Job {
  readonly run: number;
  readonly kind: 'checks' | 'dev' | 'prod';
}

class Group {
  running?: { job: Job; until: number };
  pending?: Job;
}

export interface Merge {
  /** Minutes after the first merge. */
  readonly at: number;
  /** How long its checks take, in minutes. */
  readonly checks: number;
}

export interface Rerun {
  /** The merge (its index) whose dev deploy is re-run ("Re-run failed jobs"), and when. */
  readonly of: number;
  readonly at: number;
}

export interface Outcome {
  /** The commits (merge indexes) each stage was deployed, in order. */
  readonly deployed: { readonly dev: number[]; readonly prod: number[] };
  /** Jobs a newer one replaced while they waited. */
  readonly cancelled: string[];
}

export function simulate(
  merges: readonly Merge[],
  options: {
    deployMinutes: number;
    newestOnly: boolean;
    reruns?: readonly Rerun[];
    /** Whether main's checks share a group (pre-merge.yml's), or run side by side. @default true */
    checksInGroup?: boolean;
  },
): Outcome {
  const groups = { checks: new Group(), dev: new Group(), prod: new Group() };
  const deployed = { dev: [] as number[], prod: [] as number[] };
  const cancelled: string[] = [];
  // Events in time order; at equal times, in the order they were scheduled.
  const events: { at: number; seq: number; act: () => void }[] = [];
  let seq = 0;
  let now = 0;
  const at = (time: number, act: () => void) => events.push({ at: time, seq: seq++, act });
  const tip = () => merges.reduce((newest, merge, index) => (merge.at <= now ? index : newest), -1);

  const start = (job: Job) => {
    const group = groups[job.kind];
    let minutes = merges[job.run].checks;
    if (job.kind !== 'checks') {
      const deploys = !options.newestOnly || job.run === tip();
      if (deploys) deployed[job.kind].push(job.run);
      minutes = deploys ? options.deployMinutes : 0;
    }
    group.running = { job, until: now + minutes };
    at(now + minutes, () => finish(job));
  };
  const queue = (job: Job) => {
    const group = groups[job.kind];
    if (job.kind === 'checks' && options.checksInGroup === false) {
      at(now + merges[job.run].checks, () => queue({ run: job.run, kind: 'dev' }));
      return;
    }
    if (group.running === undefined) return start(job);
    if (group.pending !== undefined)
      cancelled.push(`${group.pending.kind} of merge ${group.pending.run}`);
    group.pending = job;
  };
  const finish = (job: Job) => {
    const group = groups[job.kind];
    group.running = undefined;
    const next = group.pending;
    group.pending = undefined;
    if (next !== undefined) start(next);
    if (job.kind === 'checks') queue({ run: job.run, kind: 'dev' });
    if (job.kind === 'dev') queue({ run: job.run, kind: 'prod' });
  };

  merges.forEach((merge, run) => at(merge.at, () => queue({ run, kind: 'checks' })));
  for (const rerun of options.reruns ?? [])
    at(rerun.at, () => queue({ run: rerun.of, kind: 'dev' }));
  while (events.length > 0) {
    events.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = events.shift() as (typeof events)[number];
    now = next.at;
    next.act();
  }
  return { deployed, cancelled };
}
