import type { CanaryName } from '../contract/canaries';
import { bundleCanaries, type CanaryBundle } from './canaries';
import { bundleLambda, type LambdaBundle } from './lambda';
import { buildWebsite, type WebsiteBuild } from './website';

/**
 * What a stage deploys besides its resources, built before any stack: the function's zip, the
 * website's files (each with its SHA-256) and each journey's canary zip. Stacks receive these as
 * props and never build them; the file assets hash what they copy.
 */
export interface AppArtifacts {
  readonly lambda: LambdaBundle;
  readonly website: WebsiteBuild;
  readonly canaries: Readonly<Record<CanaryName, CanaryBundle>>;
}

/** Builds (or finds in `.build/`, by the hash of their inputs) every artifact of the app. */
export function buildArtifacts(): AppArtifacts {
  return { lambda: bundleLambda(), website: buildWebsite(), canaries: bundleCanaries() };
}
