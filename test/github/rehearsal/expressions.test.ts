import {
  CONTEXTS,
  evaluate,
  evaluateCondition,
  evaluateTemplate,
  ExpressionError,
  interpolate,
  type Scope,
  type Value,
} from './expressions';

// The examples are GitHub's own, from "Evaluate expressions in workflows and actions"
// (https://docs.github.com/en/actions/reference/workflows-and-actions/expressions).

const contexts: Record<string, Value> = {
  github: {
    ref: 'refs/heads/main',
    event_name: 'push',
    event: { issue: { labels: [{ name: 'bug' }, { name: 'help wanted' }] } },
  },
  env: { CONTINUE: 'true', TIME: '3' },
  vars: { PROD_REQUIRED_REVIEWERS: 'true' },
  steps: { urls: { outputs: { 'website-url': 'https://d1.cloudfront.net' }, outcome: 'success' } },
  fruits: [
    { name: 'apple', quantity: 1 },
    { name: 'orange', quantity: 2 },
    { name: 'pear', quantity: 1 },
  ],
};
const scope = (overrides: Partial<Scope> = {}): Scope => ({
  contexts,
  allowed: ['github', 'env', 'vars', 'steps', 'fruits'],
  where: 'test',
  ...overrides,
});
const run = (source: string) => evaluate(source, scope());

describe('GitHub expressions', () => {
  it.each([
    ['null', null],
    ['false', false],
    ['711', 711],
    ['-9.2', -9.2],
    ['0xff', 255],
    ['-2.99e-2', -0.0299],
    ["'It''s open source!'", "It's open source!"],
  ])('reads the literal %s', (source, value) => {
    expect(run(source)).toEqual(value);
  });

  it('refuses double-quoted strings, as GitHub does', () => {
    expect(() => run('"push"')).toThrow(ExpressionError);
  });

  it.each([
    ["contains('Hello world', 'llo')", true],
    ["contains(github.event.issue.labels.*.name, 'bug')", true],
    ['contains(fromJSON(\'["push", "pull_request"]\'), github.event_name)', true],
    ["startsWith('Hello world', 'He')", true],
    ["endsWith('Hello world', 'ld')", true],
    ["format('Hello {0} {1} {2}', 'Mona', 'the', 'Octocat')", 'Hello Mona the Octocat'],
    ["format('{{Hello {0} {1} {2}!}}', 'Mona', 'the', 'Octocat')", '{Hello Mona the Octocat!}'],
    ["join(github.event.issue.labels.*.name, ', ')", 'bug, help wanted'],
    ['fromJSON(env.CONTINUE)', true],
    ['fromJSON(env.TIME)', 3],
    ["case(github.ref == 'refs/heads/main', 'production', 'development')", 'production'],
  ])('%s is %p', (source, value) => {
    expect(run(source)).toEqual(value);
  });

  it('filters arrays of objects with *', () => {
    expect(run('fruits.*.name')).toEqual(['apple', 'orange', 'pear']);
  });

  it('pretty-prints with toJSON', () => {
    expect(run('toJSON(steps.urls.outputs)')).toBe(
      '{\n  "website-url": "https://d1.cloudfront.net"\n}',
    );
  });

  it.each([
    ["'ABC' == 'abc'", true],
    ['null == 0', true],
    ['true == 1', true],
    ["'' == 0", true],
    ["'0x10' == 16", true],
    ["'3' == 3", true],
    ["'three' == 3", false],
    ["'abc' != 'ABC'", false],
    ["fromJSON('[]') == fromJSON('[]')", false],
    ['3 < 10', true],
    ["'3' < '10'", false],
    ["'b' > 'A'", true],
    ["'x' < 1", false],
  ])('compares loosely, ignoring case: %s is %p', (source, value) => {
    expect(run(source)).toBe(value);
  });

  it('gives back an operand from && and ||, so that `cond && a || b` chooses', () => {
    expect(run("github.ref == 'refs/heads/main' && 'prod' || 'dev'")).toBe('prod');
    expect(run("github.ref == 'refs/heads/other' && 'prod' || 'dev'")).toBe('dev');
    expect(run("vars.MISSING || 'default'")).toBe('default');
  });

  it('reads a missing property as null, and properties ignoring case', () => {
    expect(run('github.nothing.here')).toBeNull();
    expect(run('github.REF')).toBe('refs/heads/main');
    expect(run("steps.urls.outputs['website-url']")).toBe('https://d1.cloudfront.net');
    expect(run('steps.urls.outputs.website-url')).toBe('https://d1.cloudfront.net');
  });

  it('refuses a context the workflow key does not allow, naming it', () => {
    expect(() =>
      evaluate('env.TIME', scope({ allowed: CONTEXTS.jobIf, where: 'jobs.x.if' })),
    ).toThrow(/Unrecognized named-value: 'env' \(jobs\.x\.if/);
  });

  it('refuses status functions outside an if', () => {
    expect(() => run('always()')).toThrow(/Unrecognized function: 'always'/);
  });

  describe('templates', () => {
    it('keep the type of a value that is one whole expression', () => {
      expect(evaluateTemplate('${{ fromJSON(env.CONTINUE) }}', scope())).toBe(true);
      expect(evaluateTemplate(5, scope())).toBe(5);
    });

    it('turn mixed text into a string, null into nothing, objects into "Object"', () => {
      expect(interpolate('url=${{ steps.urls.outputs.website-url }}/', scope())).toBe(
        'url=https://d1.cloudfront.net/',
      );
      expect(interpolate('[${{ vars.MISSING }}]', scope())).toBe('[]');
      expect(interpolate('${{ github.event }}', scope())).toBe('Object');
    });

    it('read a }} inside a quoted string as text', () => {
      expect(interpolate("${{ format('{0}}}', 'a') }}", scope())).toBe('a}');
    });
  });

  describe('if conditions', () => {
    const status = (failed: boolean, cancelled = false) =>
      scope({
        status: {
          success: () => !failed && !cancelled,
          failure: () => failed,
          cancelled: () => cancelled,
        },
      });

    it('add success() unless a status function is used', () => {
      expect(evaluateCondition("vars.PROD_REQUIRED_REVIEWERS == 'true'", status(false))).toBe(true);
      expect(evaluateCondition("vars.PROD_REQUIRED_REVIEWERS == 'true'", status(true))).toBe(false);
      expect(evaluateCondition(undefined, status(true))).toBe(false);
      expect(evaluateCondition('${{ always() }}', status(true))).toBe(true);
      expect(evaluateCondition('${{ !cancelled() }}', status(true))).toBe(true);
      expect(evaluateCondition('${{ !cancelled() }}', status(true, true))).toBe(false);
      expect(evaluateCondition("failure() && steps.urls.outcome == 'success'", status(true))).toBe(
        true,
      );
    });

    it('take the ${{ }} or leave it out alike', () => {
      expect(evaluateCondition("${{ steps.urls.outcome != 'skipped' }}", status(false))).toBe(true);
      expect(evaluateCondition("steps.urls.outcome != 'skipped'", status(false))).toBe(true);
    });

    it('read a half-wrapped condition as a string, which is true: GitHub does', () => {
      expect(evaluateCondition('${{ false }} && false', status(false))).toBe(true);
    });
  });
});
