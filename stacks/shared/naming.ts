/**
 * The app's name and the prefix of each stage's physical names; the names themselves are built by
 * `physicalName` (@monitored/cdktf-monitoring), which checks each service's rules.
 */

export const APP_NAME = 'msgs';

/** The prefix of every physical name of a stage: `msgs-dev`. */
export function namePrefix(stage: string): string {
  return `${APP_NAME}-${stage}`;
}
