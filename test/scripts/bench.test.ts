// @tier e2e
import { runScript } from '../support/processes';

describe('npm run bench', () => {
  it.each([
    ['an unknown flag', ['--bogus'], "Unknown option '--bogus'"],
    ['an argument', ['synth'], "Unexpected argument 'synth'"],
  ])(
    'refuses %s with the problem and the usage line, exit 2, before measuring anything',
    async (_case, args, problem) => {
      const { code, output } = await runScript('bench', args);

      expect(code).toBe(2);
      expect(output).toContain(problem);
      expect(output).toContain('Usage: npm run bench');
      // Each measure starts with a `[N s] what` line on stderr.
      expect(output).not.toMatch(/^\[\d+ s\]/m);
      expect(output).not.toMatch(/^\s+at /m);
    },
  );

  it('prints its usage line for --help and measures nothing', async () => {
    const { code, output } = await runScript('bench', ['--help']);

    expect(code).toBe(0);
    expect(output).toContain('Usage: npm run bench');
    expect(output).not.toMatch(/^\[\d+ s\]/m);
  });
});
