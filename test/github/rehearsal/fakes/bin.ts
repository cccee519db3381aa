/**
 * The one entry point of the fake `aws`, `terraform` and `gh`, bundled by install.ts:
 * `node fakes.cjs --world <folder> [--terraform-version <v>] <tool> <arguments…>`. Each call is
 * recorded in the world with its exit code, the role its credentials stand for, and when it ended.
 */
import { aws, type CliResult } from './aws';
import { gh } from './gh';
import { FakeTerraform } from './terraform';
import { World } from './world';

async function main(argv: string[]): Promise<number> {
  let root = '';
  let version = '';
  while (argv[0]?.startsWith('--')) {
    const [flag, value] = argv.splice(0, 2);
    if (flag === '--world') root = value;
    else if (flag === '--terraform-version') version = value;
  }
  const [tool, ...args] = argv;
  const world = new World(root);
  let result: CliResult;
  try {
    if (tool === 'aws') result = aws(args, process.env, world);
    else if (tool === 'gh') result = gh(args, process.env, world);
    else if (tool === 'terraform')
      result = await new FakeTerraform(world, version, process.cwd(), process.env).run(args);
    else result = { code: 127, stdout: '', stderr: `${tool}: command not found\n` };
  } catch (error: unknown) {
    result = {
      code: 1,
      stdout: '',
      stderr: `fake ${tool}: ${error instanceof Error ? error.message : String(error)}\n`,
    };
  }
  const session = world.session(process.env);
  world.record({
    tool: tool as 'aws' | 'terraform' | 'gh',
    args,
    cwd: process.cwd(),
    ...('role' in session ? { role: session.role } : {}),
    exitCode: result.code,
    at: world.now(),
  });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`fake: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
