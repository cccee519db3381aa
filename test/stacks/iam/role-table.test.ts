/**
 * docs/deploy-roles.md's table of what each role may do is rendered from the request table: a
 * grant added or refused there changes the page, and this test fails until the page says so.
 * `UPDATE_DOCS=1 npx jest test/stacks/iam/role-table.test.ts` writes it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RequestRow } from '../../support/iam/judge-row';
import { requestTable } from './requests';

const PAGE = path.resolve(__dirname, '../../../docs/deploy-roles.md');
const BEGIN = '<!-- role-table: begin (rendered from test/stacks/iam/requests.ts) -->';
const END = '<!-- role-table: end -->';

/** A row's principal and situation, with the stage written as `<stage>`. */
function general(text: string): string {
  return text
    .replaceAll('msgs-deploy-dev', 'msgs-deploy-<stage>')
    .replaceAll('msgs-dev', 'msgs-<stage>')
    .replace(/ · dev · /, ' · ');
}

export function renderRoleTable(rows: readonly RequestRow[]): string {
  const groups = new Map<string, { allow: Set<string>; deny: Set<string> }>();
  for (const row of rows.filter(
    (r) =>
      r.name.startsWith('msgs-dev') ||
      r.name.startsWith('msgs-deploy-dev') ||
      r.name.includes(' · dev · '),
  )) {
    const parts = general(row.name).split(' · ');
    const who = parts[0];
    const when =
      row.expect === 'deny'
        ? 'refused'
        : /deploy|update|destroy/.test(parts[1])
          ? parts[1]
          : 'at run time';
    const key = `${who}|${when}`;
    const group = groups.get(key) ?? { allow: new Set<string>(), deny: new Set<string>() };
    (row.expect === 'allow' ? group.allow : group.deny).add(
      row.expect === 'allow'
        ? `\`${row.action}\``
        : `${parts[parts.length - 1].replace(/^refused(?: even as an administrator)? · /, '')} (\`${row.action}\`)`,
    );
    groups.set(key, group);
  }
  const lines = ['| role | when | may | must be refused |', '| --- | --- | --- | --- |'];
  for (const [key, group] of groups) {
    const [who, when] = key.split('|');
    lines.push(
      `| ${who} | ${when} | ${[...group.allow].sort().join(', ')} | ${[...group.deny].join('; ')} |`,
    );
  }
  return lines.join('\n');
}

describe('docs/deploy-roles.md', () => {
  it('shows the table rendered from the request table', () => {
    const rendered = `${BEGIN}\n${renderRoleTable(requestTable())}\n${END}`;
    const page = fs.readFileSync(PAGE, 'utf8');
    const current = page.slice(page.indexOf(BEGIN), page.indexOf(END) + END.length);
    if (process.env.UPDATE_DOCS === '1' && current !== rendered) {
      fs.writeFileSync(PAGE, page.replace(current, rendered));
      return;
    }
    expect(current).toBe(rendered);
  });
});
