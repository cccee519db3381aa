// @tier e2e
import { execFileSync } from 'node:child_process';

// The marker above moves this file to the e2e tier, where no guard stands between it and a process.

it('starts a process in the e2e tier', () => {
  const output = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(6 * 7))']);

  expect(output.toString()).toBe('42');
});
