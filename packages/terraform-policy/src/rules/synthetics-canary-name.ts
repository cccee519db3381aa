import type { PolicyRule } from '../types';

/** AWS keeps the first 21 characters in the names of the canary's Lambda, role and log group. */
const MAX_LENGTH = 21;
const CHARACTERS = /^[0-9a-z_-]+$/;

export const syntheticsCanaryName: PolicyRule = {
  id: 'synthetics-canary-name',
  description: `Canary names have at most ${MAX_LENGTH} characters of [0-9a-z_-]`,
  resourceTypes: ['aws_synthetics_canary'],
  check(canary) {
    const name = canary.config.name;
    if (typeof name !== 'string') return 'no name';
    if (!CHARACTERS.test(name))
      return `name "${name}" may only contain lowercase letters, digits, _ and -`;
    if (name.length > MAX_LENGTH)
      return `name "${name}" is ${name.length} characters; AWS keeps ${MAX_LENGTH} in the names it derives from it`;
    return undefined;
  },
};
