import * as fs from 'node:fs';
import * as path from 'node:path';
import { daysUntil } from '@monitored/terraform-policy';
import { CANARY_RUNTIME } from '../../../contract/canaries';
import { SYNTHETICS_RUNTIMES, syntheticsRuntime } from '@monitored/cloudwatch-model';
import { TEST_TODAY } from '../../support/synth';

const packageJson = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'),
) as { devDependencies: Record<string, string> };

describe('the pinned Synthetics runtime', () => {
  const runtime = syntheticsRuntime(CANARY_RUNTIME);

  it('is in the dated list, without a deprecation date', () => {
    expect(runtime).toBeDefined();
    expect(runtime?.deprecated).toBeUndefined();
  });

  it('runs Node.js 22, retries, and has the library names the journeys require', () => {
    expect(runtime).toMatchObject({ node: 22, retries: true, currentLibraryNames: true });
  });

  it('ships the puppeteer-core major the journeys are tested with here', () => {
    const local = packageJson.devDependencies['puppeteer-core'];
    expect(runtime?.puppeteerCore?.split('.')[0]).toBe(local.split('.')[0]);
  });

  it('is the newest one whose versions AWS documents', () => {
    const documented = SYNTHETICS_RUNTIMES.filter((candidate) => candidate.node !== undefined);
    expect(documented[0].name).toBe(CANARY_RUNTIME);
  });
});

describe('the dated list of Synthetics runtimes', () => {
  it('marks retries from 10.0 and the current library names from 13.1', () => {
    const flags = (version: string) => {
      const found = syntheticsRuntime(`syn-nodejs-puppeteer-${version}`);
      return [found?.retries, found?.currentLibraryNames];
    };
    expect(flags('9.1')).toEqual([false, false]);
    expect(flags('10.0')).toEqual([true, false]);
    expect(flags('13.0')).toEqual([true, false]);
    expect(flags('13.1')).toEqual([true, true]);
    expect(flags('15.0')).toEqual([true, true]);
  });

  it('has the deprecations AWS announced, all past on the test day', () => {
    const deprecated = SYNTHETICS_RUNTIMES.filter((runtime) => runtime.deprecated !== undefined);
    expect(deprecated.map((runtime) => runtime.name.replace('syn-nodejs-puppeteer-', ''))).toEqual([
      '7.0',
      '6.2',
      '5.2',
      '6.1',
      '6.0',
      '5.1',
      '5.0',
      '4.0',
      '3.9',
      '3.8',
    ]);
    for (const runtime of deprecated) {
      expect(daysUntil(runtime.deprecated ?? '', TEST_TODAY)).toBeLessThanOrEqual(0);
    }
  });
});
