// @tier e2e
import { runScript } from '../support/processes';

describe('npm run build', () => {
  it.each([
    ['an unknown flag', ['--bogus'], "Unknown option '--bogus'"],
    ['an argument', ['website'], "Unexpected argument 'website'"],
  ])(
    'refuses %s with the problem and the usage line, exit 2, building nothing',
    async (_case, args, problem) => {
      const { code, output } = await runScript('build', args);

      expect(code).toBe(2);
      const [said, usage, ...rest] = output.trimEnd().split('\n');
      expect(said).toContain(problem);
      expect(usage).toBe('Usage: npm run build (no options)');
      expect(rest).toEqual([]);
    },
  );
});
