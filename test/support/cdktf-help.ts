import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const helps = new Map<string, string>();

/** `cdktf <subcommand> --help` of the project's cdktf, read once per subcommand. */
export function cdktfHelp(subcommand: string): string {
  const cached = helps.get(subcommand);
  if (cached !== undefined) return cached;
  const help = execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'cdktf'),
    [subcommand, '--help'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  helps.set(subcommand, help);
  return help;
}
