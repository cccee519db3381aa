import type { PolicyRule } from '../types';

const LOCATION = /^s3:\/\/([^/]+)(\/.*)?$/;
const BUCKET_REFERENCE = /^\$\{aws_s3_bucket\.([^.]+)\.(?:bucket|id)\}$/;

/**
 * Synthetics cannot write artifacts to a bucket with a period in its name, and the canary only
 * fails when a run tries to (aws-facts, "Artifact bucket").
 */
export const syntheticsArtifactBucket: PolicyRule = {
  id: 'synthetics-artifact-bucket',
  description: "A canary's artifact bucket has no period in its name",
  resourceTypes: ['aws_synthetics_canary'],
  check(canary, stack) {
    const location = canary.config.artifact_s3_location;
    if (typeof location !== 'string') return 'no artifact_s3_location';
    const match = LOCATION.exec(location);
    if (match === null) return `artifact_s3_location "${location}" is not s3://<bucket>/<prefix>`;
    const bucket = match[1];
    const reference = BUCKET_REFERENCE.exec(bucket);
    if (reference === null) {
      return bucket.includes('.') && !bucket.startsWith('${')
        ? `artifact bucket "${bucket}" has a period in its name`
        : undefined;
    }
    const resource = stack.ofType('aws_s3_bucket').find((r) => r.name === reference[1]);
    if (resource === undefined) return `artifact bucket ${bucket} is not in this stack`;
    for (const attribute of ['bucket', 'bucket_prefix']) {
      const name = resource.config[attribute];
      if (typeof name === 'string' && name.includes('.'))
        return `artifact bucket aws_s3_bucket.${resource.name} has a period in its ${attribute} "${name}"`;
    }
    return undefined;
  },
};
