import {
  canaryFunctionPattern,
  lambdaLogGroupName,
  physicalName,
} from '@monitored/cdktf-monitoring';

describe('physicalName', () => {
  it('joins the prefix and the name', () => {
    expect(physicalName('shop-prod', 'orders', 'dynamodbTable')).toBe('shop-prod-orders');
  });

  it("refuses a name over the service's length, naming the service and the limit", () => {
    expect(() => physicalName('shop-production', 'checkout-journey', 'canary')).toThrow(
      'canary name "shop-production-checkout-journey" is 32 characters; the limit is 21',
    );
  });

  it('refuses characters the service does not take', () => {
    expect(() => physicalName('Shop', 'x', 'canary')).toThrow(
      'canary name "Shop-x" may only contain lowercase letters, digits, _ -',
    );
  });

  it('leaves room for the suffix Terraform adds to a bucket prefix, and ends it with a dash', () => {
    expect(physicalName('shop-prod', 'artifacts', 's3BucketPrefix')).toBe('shop-prod-artifacts-');
    expect(() => physicalName('shop-prod', 'a'.repeat(30), 's3BucketPrefix')).toThrow(
      /limit is 37/,
    );
  });
});

describe('names AWS makes', () => {
  it("gives a function's log group and a canary's function pattern", () => {
    expect(lambdaLogGroupName('shop-prod-api')).toBe('/aws/lambda/shop-prod-api');
    expect(canaryFunctionPattern('shop-prod-checkout')).toBe('cwsyn-shop-prod-checkout-*');
  });
});
