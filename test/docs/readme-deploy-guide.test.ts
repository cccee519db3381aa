// @tier e2e
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STAGES, stageConfigs } from '../../stacks/config';
import {
  BOOTSTRAP_STACK,
  BootstrapStack,
  deployRoleOutput,
} from '../../stacks/bootstrap/bootstrap-stack';
import { deployAlarmName } from '../../stacks/monitoring/names';
import { runScript } from '../support/processes';
import { synthJson, TEST_CONFIGS, TEST_TODAY, testApp } from '../support/synth';

const ROOT = path.resolve(__dirname, '..', '..');
/** The deploy guide's page (the README links it), and the page on moving on from cdktf. */
const GUIDE = fs.readFileSync(path.join(ROOT, 'docs', 'first-deploy.md'), 'utf8');
const MIGRATING = fs.readFileSync(path.join(ROOT, 'docs', 'migrating.md'), 'utf8');
const SCRIPTS = Object.keys(
  (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts,
);
const STACKS = [BOOTSTRAP_STACK, ...STAGES];
const configs = stageConfigs({ alertEmails: { dev: [], prod: [] } });

/** The text of the `## <title>` section, up to the next `## `. */
function section(title: string): string {
  const start = GUIDE.indexOf(`\n## ${title}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = GUIDE.indexOf('\n## ', start + 1);
  return GUIDE.slice(start, end === -1 ? undefined : end);
}

/** The lines of the section's `sh` code blocks, in order, comments and blank lines dropped. */
function commands(text: string): string[] {
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap(([, block]) => block.split('\n'))
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter((line) => line.length > 0);
}

const deploying = section('Deploying');
const destroying = section('Destroying');
const guide = [...commands(deploying), ...commands(destroying)];
/** Commands in the guide's prose as well: `` `npx cdktf synth --hcl` ``. */
const inline = [deploying, destroying, MIGRATING].flatMap((text) =>
  [...text.matchAll(/`(npx [^`]+)`/g)].map(([, command]) => command),
);

/** Where in the deploy guide the first command matching `pattern` is; fails when there is none. */
function at(pattern: RegExp): number {
  const index = commands(deploying).findIndex((line) => pattern.test(line));
  expect({ pattern: String(pattern), found: index >= 0 }).toEqual({
    pattern: String(pattern),
    found: true,
  });
  return index;
}

const cdktfHelp = new Map<string, string>();
function cdktfFlags(subcommand: string): string {
  const cached = cdktfHelp.get(subcommand);
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
  cdktfHelp.set(subcommand, help);
  return help;
}

describe('docs/first-deploy.md, the deploy guide', () => {
  it('has its steps in the order a first deploy needs', () => {
    const steps = [...deploying.matchAll(/^### (\d+)\. (.+)$/gm)].map(([, n, title]) => [
      Number(n),
      title,
    ]);
    expect(steps).toEqual([
      [1, 'Prerequisites'],
      [2, 'Bootstrap: state bucket, GitHub trust, deploy roles'],
      [3, 'GitHub: environments and repository variables'],
      [4, 'Deploy the stages'],
      [5, 'Confirm the alarm emails'],
      [6, 'After a deploy'],
    ]);
  });

  it('bootstraps before the state bucket is used, deploys before the emails are confirmed, and checks last', () => {
    const order = [
      at(/^npm ci$/),
      at(/^GITHUB_REPOSITORY=\S+ npx cdktf deploy bootstrap$/),
      at(/^npx cdktf output bootstrap$/),
      at(/^export TF_STATE_BUCKET=/),
      at(/^npx cdktf deploy dev prod$/),
      at(/^aws sns list-subscriptions /),
      at(/^aws cloudwatch describe-alarms /),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("holds each stage's deploy alarm before the first deploy by hand, and releases it after", () => {
    const deploy = at(/^npx cdktf deploy dev prod$/);
    for (const stage of STAGES) {
      expect(at(new RegExp(`^npm run deploy-alarm -- ${stage} set\\b`))).toBeLessThan(deploy);
      expect(at(new RegExp(`^npm run deploy-alarm -- ${stage} clear$`))).toBeGreaterThan(deploy);
    }
  });

  it('destroys the stages before the bootstrap stack that holds their state', () => {
    const destroys = commands(destroying)
      .map((line) => /^npx cdktf destroy (\S+)$/.exec(line)?.[1])
      .filter((stack): stack is string => stack !== undefined);
    expect(destroys).toEqual([...STAGES, BOOTSTRAP_STACK]);
  });

  it('names only npm scripts the project has', () => {
    const named = guide.flatMap((line) =>
      [...line.matchAll(/\bnpm run ([\w:-]+)/g)].map(([, s]) => s),
    );
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((script) => !SCRIPTS.includes(script))).toEqual([]);
  });

  it('names only stacks the app has, and cdktf options cdktf 0.21 has', () => {
    const uses = [...guide, ...inline]
      .map((line) => /\bnpx cdktf (\w+)((?: (?!--)[\w<>-]+)*)((?: --[\w-]+(?: \S+)?)*)$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null);
    expect(uses.map(([, , , options]) => options).filter(Boolean)).toEqual([
      ' --migrate-state',
      ' --hcl',
    ]);
    for (const [line, subcommand, stacks, options] of uses) {
      const named = stacks
        .trim()
        .split(' ')
        .filter((stack) => stack !== '' && !stack.startsWith('<'));
      for (const stack of named) {
        expect({ line, stack, known: STACKS.includes(stack) }).toMatchObject({ known: true });
      }
      for (const [option] of options.matchAll(/--[\w-]+/g)) {
        expect({
          line,
          option,
          known: cdktfFlags(subcommand).includes(`${option} `),
        }).toMatchObject({
          known: true,
        });
      }
    }
  });

  it('uses `npm run deploy-alarm` as the script accepts it', async () => {
    const uses = guide.filter((line) => line.startsWith('npm run deploy-alarm -- '));
    expect(uses.length).toBeGreaterThanOrEqual(2);
    for (const line of uses) {
      const args = [
        ...line.slice('npm run deploy-alarm -- '.length).matchAll(/"([^"]*)"|(\S+)/g),
      ].map(([, quoted, bare]) => quoted ?? bare);
      const { code, output } = await runScript('deploy-alarm', [...args, '--dry-run']);
      expect({ line, code, output }).toMatchObject({ code: 0 });
    }
  });

  it("names the deploy alarm and the alarm topic's stage as the stacks do, in their region", () => {
    const describe = guide.find((line) => line.startsWith('aws cloudwatch describe-alarms')) ?? '';
    expect(describe).toContain(`--region ${configs.prod.region} `);
    expect(describe).toContain(`--alarm-names ${deployAlarmName(configs.prod.namePrefix)} `);
    const subscriptions = guide.find((line) => line.startsWith('aws sns list-subscriptions')) ?? '';
    expect(subscriptions).toContain(`--region ${configs.prod.region} `);
    expect(subscriptions).toContain(`':${configs.prod.namePrefix}-'`);
  });

  it('imports the OIDC provider at the address the bootstrap stack gives it', () => {
    const stack = new BootstrapStack(testApp(), BOOTSTRAP_STACK, {
      region: 'us-east-1',
      stages: STAGES.map((stage) => TEST_CONFIGS[stage]),
      today: TEST_TODAY,
    });
    const addresses = Object.entries(synthJson(stack).json.resource).flatMap(([type, byName]) =>
      Object.keys(byName).map((name) => `${type}.${name}`),
    );
    const imports = guide
      .map((line) => /^terraform import (\S+) /.exec(line)?.[1])
      .filter((address): address is string => address !== undefined);
    expect(imports).toHaveLength(1);
    expect(addresses).toContain(imports[0]);
    expect(guide).toContain(`cd cdktf.out/stacks/${BOOTSTRAP_STACK} && terraform init`);
  });

  it('documents every repository variable the workflows read, with the bootstrap output it takes', () => {
    const workflows = fs
      .readdirSync(path.join(ROOT, '.github', 'workflows'))
      .map((file) => fs.readFileSync(path.join(ROOT, '.github', 'workflows', file), 'utf8'))
      .join('\n');
    const variables = new Set([...workflows.matchAll(/\bvars\.(\w+)/g)].map(([, name]) => name));
    expect(variables.size).toBeGreaterThan(0);
    const rows = new Map(
      [...deploying.matchAll(/^\| `(\w+)` \| (.+) \|$/gm)].map(([, name, value]) => [name, value]),
    );
    for (const variable of variables)
      expect({ variable, documented: rows.has(variable) }).toMatchObject({ documented: true });
    expect(rows.get('TF_STATE_BUCKET')).toBe('bootstrap output `state_bucket`');
    expect(rows.get('TF_STATE_REGION')).toBe('bootstrap output `state_region`');
    for (const stage of STAGES) {
      expect(rows.get(`AWS_DEPLOY_ROLE_ARN_${stage.toUpperCase()}`)).toBe(
        `bootstrap output \`${deployRoleOutput(stage)}\``,
      );
    }
  });

  it('links only to files that exist', () => {
    const links = [...`${deploying}${destroying}`.matchAll(/\]\(([^)#:]+)(?:#[^)]*)?\)/g)].map(
      ([, target]) => target,
    );
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((target) => !fs.existsSync(path.join(ROOT, 'docs', target)))).toEqual([]);
  });
});
