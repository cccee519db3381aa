import { buildArtifacts } from '../../bundling/artifacts';
// Jest maps no module names for a global setup, and the package's index imports its siblings by
// name: the package's build module, by path (the app's own code never does this).
import { monitorPage, queryWorkerFile } from '../../packages/cloudwatch-local/src/artifacts';

/**
 * Before the fast tier: the app's artifacts (the function's zip, the website, the canaries' zips)
 * and the local monitor's page and query worker, as `cdktf synth` and `npm start` build them.
 * esbuild runs here, once, and only when an input changed since the last build (each build is kept
 * under the hash of its inputs); the fast tier's files then start no process. esbuild's synchronous
 * API starts its binary from a worker thread, which the guard (no-processes.ts) cannot see: without
 * this step a clean clone's first synth would build inside a "fast" test.
 */
export default function fastSetup(): void {
  buildArtifacts();
  monitorPage();
  queryWorkerFile();
}
