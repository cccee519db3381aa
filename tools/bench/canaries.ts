/**
 * Each canary's local run time (the journey's own time: the same zip, real Chromium for the
 * website), median of a few runs against the local system, and the requests one run makes by
 * route, beside what the cost model assumes a run asks of the app.
 */
import { bundleCanaries } from '../../bundling/canaries';
import { ROUTES } from '../../contract/api';
import { CANARY_ENV, CANARY_NAMES, type CanaryName } from '../../contract/canaries';
import { localCanaryName, runCanary } from '../../local/canary-runner';
import { CANARY_RUN_GATEWAY_ONLY, CANARY_RUN_TRAFFIC } from '../cost/traffic';
import type { LogTap } from './load';
import { summarize, type Summary } from './samples';

/** A run's requests in the cost model's terms. */
export interface RunRequests {
  readonly creates: number;
  readonly reads: number;
  readonly counts: number;
  readonly refused: number;
  readonly gatewayOnly: number;
}

export interface CanaryBench {
  readonly journey: CanaryName;
  readonly seconds: Summary;
  readonly passed: number;
  readonly measured: RunRequests;
  readonly modelled: RunRequests;
}

function modelledRequests(journey: CanaryName): RunRequests {
  const traffic = CANARY_RUN_TRAFFIC[journey];
  return {
    creates: traffic.creates + traffic.keylessCreates,
    reads: traffic.reads,
    counts: traffic.counts,
    refused: traffic.refused,
    gatewayOnly: CANARY_RUN_GATEWAY_ONLY[journey],
  };
}

export async function benchCanaries(
  urls: { websiteUrl: string; apiUrl: string },
  tap: LogTap,
  runs = 3,
): Promise<CanaryBench[]> {
  const bundles = bundleCanaries();
  const results: CanaryBench[] = [];
  for (const journey of CANARY_NAMES) {
    const seconds: number[] = [];
    let passed = 0;
    let measured: RunRequests | undefined;
    for (let run = 0; run < runs; run++) {
      tap.reset();
      const started = performance.now();
      const result = await runCanary(bundles[journey], {
        canaryName: localCanaryName(journey),
        environment: {
          [CANARY_ENV.websiteUrl]: urls.websiteUrl,
          [CANARY_ENV.apiUrl]: urls.apiUrl,
        },
      });
      seconds.push((performance.now() - started) / 1000);
      if (result.passed) passed++;
      const routes = tap.accessEntries;
      const of = (routeKey: string, status?: (code: number) => boolean) =>
        routes.filter(
          (entry) =>
            entry.routeKey === routeKey && (status === undefined || status(Number(entry.status))),
        ).length;
      measured ??= {
        creates: of(ROUTES.createMessage, (status) => status === 201),
        reads: of(ROUTES.getMessage),
        counts: of(ROUTES.countMessages),
        refused: of(ROUTES.createMessage, (status) => status >= 400),
        // API Gateway's own answers (CORS preflights) have no route.
        gatewayOnly: of('-'),
      };
    }
    results.push({
      journey,
      seconds: summarize(seconds),
      passed,
      measured: measured ?? { creates: 0, reads: 0, counts: 0, refused: 0, gatewayOnly: 0 },
      modelled: modelledRequests(journey),
    });
  }
  return results;
}
