// @tier e2e
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Runs `code` in a Node process, with the package-root hook or without it; returns its JSON output. */
function probe(code: string, withHook: boolean): Record<string, unknown> {
  const hook = withHook ? ['--require', path.join(ROOT, 'scripts', 'bench-barrel.cjs')] : [];
  const result = spawnSync(process.execPath, [...hook, '-e', code], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

const PROVIDER_MODULES =
  "Object.keys(require.cache).filter((f) => f.includes('/node_modules/@cdktf/provider-aws/')).length";

describe("the benchmark's package-root variant of the app (scripts/bench-barrel.cjs)", () => {
  it('answers a deep import with the package root’s export of that resource, so the root and all it loads are required', () => {
    const code = `
      const deep = require('@cdktf/provider-aws/lib/s3-bucket');
      const caller = require('@cdktf/provider-aws/lib/data-aws-caller-identity');
      const root = require('@cdktf/provider-aws');
      console.log(JSON.stringify({
        same: deep === root.s3Bucket && caller === root.dataAwsCallerIdentity,
        hasClass: typeof deep.S3Bucket,
        modules: ${PROVIDER_MODULES},
      }));`;

    const hooked = probe(code, true);

    expect(hooked.same).toBe(true);
    expect(hooked.hasClass).toBe('function');
    expect(hooked.modules).toBeGreaterThan(2_000);
  });

  it('leaves a deep import alone without the hook: a handful of modules', () => {
    const plain = probe(
      `require('@cdktf/provider-aws/lib/s3-bucket'); console.log(JSON.stringify({ modules: ${PROVIDER_MODULES} }));`,
      false,
    );

    expect(plain.modules).toBeLessThan(10);
  });

  it('names a resource the package root does not export', () => {
    expect(() => probe("require('@cdktf/provider-aws/lib/no-such-thing')", true)).toThrow(
      '@cdktf/provider-aws exports no noSuchThing (for @cdktf/provider-aws/lib/no-such-thing)',
    );
  });
});
