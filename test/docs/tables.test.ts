/**
 * The docs' tables that restate code, held to the code they restate: a setting, a rule, a runtime
 * or a dependency changed in one place fails here until its page says so. (The alarm table is
 * checked by test/stacks/monitoring/readme.test.ts, the roles table rendered by
 * test/stacks/iam/role-table.test.ts, the repository variables by readme-deploy-guide.test.ts.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scheduleInterval } from '@monitored/cloudwatch-model';
import { API_INTEGRATION_TIMEOUT_MS, GATEWAY_ERRORS } from '../../contract/api';
import { CANARY_RUNTIME } from '../../contract/canaries';
import { MESSAGES_FUNCTION } from '../../contract/function';
import { STAGES, stageConfigs, type StageConfig } from '../../stacks/config';
import {
  ALL_RULES,
  DEPRECATION_WARNING_DAYS,
  RUNTIME_DEPRECATION,
} from '@monitored/terraform-policy';

const ROOT = path.resolve(__dirname, '..', '..');

/** The manifests of the workspace packages. */
function packageManifests(): Partial<typeof MANIFEST>[] {
  return fs
    .readdirSync(path.join(ROOT, 'packages'))
    .map((name) => path.join(ROOT, 'packages', name, 'package.json'))
    .filter((file) => fs.existsSync(file))
    .map((file) => JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<typeof MANIFEST>);
}
const ARCHITECTURE = fs.readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf8');
/** The page's text with every run of white space one space, as a reader sees wrapped prose. */
const PROSE = ARCHITECTURE.replace(/\s+/g, ' ');
const MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts: Record<string, boolean>;
};
const configs = stageConfigs({ alertEmails: { dev: [], prod: [] } });

/** The rows (cells, trimmed) of the first table of `page` whose header row is `header`. */
function table(page: string, header: string): string[][] {
  const start = page.indexOf(`\n${header}\n`);
  expect({ header, found: start >= 0 }).toEqual({ header, found: true });
  const rows: string[][] = [];
  for (const line of page
    .slice(start + header.length + 2)
    .split('\n')
    .slice(1)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** A schedule as the stage table says it: `every 6 minutes`, `every 2 hours (`cron(…)`)`. */
function inWords(expression: string): string {
  const interval = scheduleInterval(expression);
  if (interval.kind !== 'every') throw new Error(`${expression}: ${JSON.stringify(interval)}`);
  const seconds = interval.seconds;
  const every =
    seconds % 3600 === 0
      ? seconds === 3600
        ? 'every hour'
        : `every ${seconds / 3600} hours`
      : `every ${seconds / 60} minutes`;
  return expression.startsWith('cron(') ? `${every} (\`${expression}\`)` : every;
}

const isoDaysBefore = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

describe('docs/architecture.md', () => {
  it("states each stage's settings as stacks/config.ts sets them", () => {
    const cells = (render: (config: StageConfig) => string) =>
      STAGES.map((stage) => render(configs[stage]));
    const expected = [
      ['log retention', ...cells((c) => `${c.logRetentionDays} days`)],
      ['table deletion protection', ...cells((c) => (c.deletionProtection ? 'on' : 'off'))],
      [
        'API throttling (burst / rate per s)',
        ...cells((c) => `${c.apiThrottling.burstLimit} / ${c.apiThrottling.rateLimit}`),
      ],
      ['log level (Lambda and Powertools)', ...cells((c) => c.logLevel)],
      [
        'CORS origins',
        ...cells((c) => {
          const extra = c.extraCorsOrigins.map((origin) => `\`${origin}\``);
          return extra.length === 0
            ? 'the CloudFront site only'
            : `the CloudFront site, ${extra.slice(0, -1).join(', ')} and ${extra[extra.length - 1]}`;
        }),
      ],
      ['API canary', ...cells((c) => inWords(c.canaries.api.expression))],
      ['website canary', ...cells((c) => inWords(c.canaries.website.expression))],
    ];
    expect(table(ARCHITECTURE, `| | ${STAGES.join(' | ')} |`)).toEqual(expected);
  });

  it('lists every policy rule the synth runs, and no other', () => {
    const listed = table(ARCHITECTURE, '| rule | fails when |').map(([rule]) =>
      rule.replace(/`/g, ''),
    );
    expect([...listed].sort()).toEqual(ALL_RULES.map((rule) => rule.id).sort());
  });

  it("gives the function's runtime, architecture, memory and timeout, and its runtime's dates", () => {
    const { runtime, architecture, memoryMb, timeoutSeconds } = MESSAGES_FUNCTION;
    expect(PROSE).toContain(`(${runtime}, ${architecture}, ${memoryMb} MB, ${timeoutSeconds} s)`);
    const fails = RUNTIME_DEPRECATION[runtime];
    expect(PROSE).toContain(
      `(${runtime}: warns from ${isoDaysBefore(fails, DEPRECATION_WARNING_DAYS)}, fails from ${fails})`,
    );
  });

  it("gives the canaries' runtime, retries, memory and timeouts as the stage config sets them", () => {
    const { api, website } = configs.prod.canaries;
    const run = ({ expression: _expression, ...rest }: typeof api) => rest;
    for (const stage of STAGES) {
      expect(run(configs[stage].canaries.api)).toEqual(run(api));
      expect(run(configs[stage].canaries.website)).toEqual(run(website));
    }
    expect(api.maxRetries).toBe(1);
    expect(website.maxRetries).toBe(1);
    expect(api.memoryMb).toBe(website.memoryMb);
    expect(PROSE).toContain(
      `(\`${CANARY_RUNTIME}\`, started on creation, one retry, ${api.memoryMb} MB, ${api.timeoutSeconds} s / ${website.timeoutSeconds} s)`,
    );
  });

  it("gives API Gateway's own answers as contract/api.ts and the stage config make them", () => {
    const rows = [...ARCHITECTURE.matchAll(/^ *\| (\d{3}) \| `([^`]+)` \| (.+) \|$/gm)].map(
      ([, status, message, when]) => ({ status: Number(status), message, when }),
    );
    expect(rows.map(({ status, message }) => ({ status, message }))).toEqual(
      Object.values(GATEWAY_ERRORS).map(({ status, message }) => ({ status, message })),
    );
    const when = (status: number) => rows.find((row) => row.status === status)?.when;
    const { dev, prod } = configs;
    expect(when(429)).toBe(
      `the stage's throttle: dev ${dev.apiThrottling.burstLimit} at once and ${dev.apiThrottling.rateLimit} a second, prod ${prod.apiThrottling.burstLimit} and ${prod.apiThrottling.rateLimit}`,
    );
    expect(when(500)).toContain(`timed out (${MESSAGES_FUNCTION.timeoutSeconds} s)`);
    expect(when(503)).toContain(
      `within the ${API_INTEGRATION_TIMEOUT_MS / 1000} s integration timeout`,
    );
  });

  it('names in its layout only folders and files that exist', () => {
    const paths = table(ARCHITECTURE, '| path | what |').map(([cell]) => cell.replace(/`/g, ''));
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((entry) => !fs.existsSync(path.join(ROOT, entry)))).toEqual([]);
  });

  it('gives each dependency the version package.json (or the package that declares it) pins', () => {
    const pinned: Record<string, string> = Object.assign(
      {},
      ...packageManifests().map((manifest) => ({
        ...manifest.devDependencies,
        ...manifest.dependencies,
      })),
      MANIFEST.dependencies,
      MANIFEST.devDependencies,
    );
    const named = table(ARCHITECTURE, '| package | why |').flatMap(([cell]) =>
      [...cell.matchAll(/`([^`]+)`(?: (~?\d+(?:\.\d+)*(?:\.x)?))?/g)].map(([, name, version]) => ({
        name,
        version,
      })),
    );
    expect(named.length).toBeGreaterThan(20);
    const wrong = named.filter(({ name, version }) => {
      const actual = pinned[name];
      if (actual === undefined) return true;
      if (version === undefined) return false;
      if (version.startsWith('~')) return !`${actual}.`.startsWith(`${version.slice(1)}.`);
      if (version.endsWith('.x')) return !actual.startsWith(version.slice(0, -1));
      return actual !== version;
    });
    expect(wrong).toEqual([]);
  });

  it('names every dependency package.json and the packages declare', () => {
    const manifests = [MANIFEST, ...packageManifests()];
    const declared = new Set(
      manifests.flatMap((manifest) => [
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.devDependencies ?? {}),
      ]),
    );
    const named = new Set(
      table(ARCHITECTURE, '| package | why |').flatMap((cells) =>
        [...cells.join(' ').matchAll(/`([^`]+)`/g)].map(([, name]) => name),
      ),
    );
    expect(
      [...declared].filter((name) => !named.has(name) && !name.startsWith('@monitored/')),
    ).toEqual([]);
  });

  it("states each install script's decision as package.json's allowScripts makes it", () => {
    const decisions = Object.fromEntries(
      table(ARCHITECTURE, '| package | script | decision |').map(([name, , decision]) => [
        name.replace(/`/g, '').replace(/ \(of .*\)$/, ''),
        decision.startsWith('approved'),
      ]),
    );
    expect(decisions).toEqual(MANIFEST.allowScripts);
  });
});
