/** What the canary journeys, their bundling, the stack and the local runner share. */

/**
 * The canaries, by their one name: the journey's file (`canaries/<name>.ts`), the module in its
 * zip (`nodejs/node_modules/<name>.js`, handler `<name>.handler`), the `npm run canary` argument,
 * and the end of the physical canary name (`msgs-<stage>-<name>`, at most 21 characters).
 */
export const CANARY_NAMES = ['website', 'api'] as const;

export type CanaryName = (typeof CANARY_NAMES)[number];

/** Environment variables the stack sets on each canary's run and the journeys read. */
export const CANARY_ENV = {
  websiteUrl: 'WEBSITE_URL',
  apiUrl: 'API_URL',
} as const;
