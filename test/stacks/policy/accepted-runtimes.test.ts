import { ConfigError } from '../../../stacks/config';
import { datedRuntimes } from '@monitored/terraform-policy';
import { parseAcceptedRuntimes } from '../../../stacks/policy/accepted-runtimes';
import { CANARY_RUNTIME } from '../../../contract/canaries';
import { MESSAGES_FUNCTION } from '../../../contract/function';

describe('parseAcceptedRuntimes', () => {
  it('is empty when the variable is unset or blank', () => {
    expect(parseAcceptedRuntimes(undefined, 'ACCEPT_DEPRECATED_RUNTIMES')).toEqual([]);
    expect(parseAcceptedRuntimes(' , ', 'ACCEPT_DEPRECATED_RUNTIMES')).toEqual([]);
  });

  it("reads a comma-separated list of Lambda's and Synthetics' runtimes", () => {
    expect(
      parseAcceptedRuntimes(' nodejs22.x, syn-nodejs-puppeteer-7.0 ', 'ACCEPT_DEPRECATED_RUNTIMES'),
    ).toEqual(['nodejs22.x', 'syn-nodejs-puppeteer-7.0']);
  });

  it('knows the runtimes the stacks deploy on', () => {
    expect(datedRuntimes()).toEqual(
      expect.arrayContaining([MESSAGES_FUNCTION.runtime, CANARY_RUNTIME]),
    );
  });

  it('refuses a name the dated lists do not know, naming the variable and the name', () => {
    const parse = () => parseAcceptedRuntimes('nodejs22.x,nodejs22', 'ACCEPT_DEPRECATED_RUNTIMES');
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(
      'ACCEPT_DEPRECATED_RUNTIMES: "nodejs22" is not a runtime of the dated lists (expected e.g. nodejs22.x or syn-nodejs-puppeteer-15.0, comma-separated)',
    );
  });
});
