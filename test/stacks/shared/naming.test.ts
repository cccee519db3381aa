import { namePrefix } from '../../../stacks/shared/naming';
import { physicalName } from '@monitored/cdktf-monitoring';

describe('physicalName', () => {
  it('builds <app>-<stage>-<name>', () => {
    expect(physicalName(namePrefix('prod'), 'messages', 'dynamodbTable')).toBe(
      'msgs-prod-messages',
    );
  });

  it('leaves room for the suffix Terraform adds to a bucket prefix', () => {
    expect(physicalName(namePrefix('dev'), 'website', 's3BucketPrefix')).toBe('msgs-dev-website-');
    expect(() => physicalName(namePrefix('dev'), 'w'.repeat(30), 's3BucketPrefix')).toThrow(
      /is 40 characters; the limit is 37/,
    );
  });

  it('refuses a canary name AWS would truncate (over 21 characters)', () => {
    expect(physicalName(namePrefix('prod'), 'website', 'canary')).toBe('msgs-prod-website');
    expect(() => physicalName(namePrefix('prod'), 'website-journey', 'canary')).toThrow(
      /canary name "msgs-prod-website-journey" is 25 characters; the limit is 21/,
    );
  });

  it('refuses characters a service rejects', () => {
    expect(() => physicalName(namePrefix('Dev'), 'site', 'canary')).toThrow(
      /may only contain lowercase letters, digits, _ -/,
    );
    expect(() => physicalName(namePrefix('dev'), 'my.site', 's3BucketPrefix')).toThrow(
      /may only contain lowercase letters, digits, -/,
    );
    expect(() => physicalName(namePrefix('dev'), 'api fn', 'lambdaFunction')).toThrow(
      /may only contain/,
    );
  });
});
