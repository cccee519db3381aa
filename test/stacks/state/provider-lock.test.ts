import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROVIDER_LOCK_FILE, syncProviderLock } from '../../../stacks/state/provider-lock';

const LOCK = 'provider "registry.terraform.io/hashicorp/aws" {\n  version = "6.25.0"\n}\n';
const UPGRADED = LOCK.replace('6.25.0', '6.26.0');

let project: string;
let stack: string;
beforeEach(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-'));
  stack = path.join(project, 'cdktf.out', 'stacks', 'dev');
});
afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

const write = (directory: string, content: string) => {
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, PROVIDER_LOCK_FILE), content);
};
const read = (directory: string) =>
  fs.readFileSync(path.join(directory, PROVIDER_LOCK_FILE), 'utf8');

describe('syncProviderLock', () => {
  it("copies the project's lock file into a stack directory that has none, as after rm -rf cdktf.out", () => {
    write(project, LOCK);
    expect(syncProviderLock(project, stack)).toBeUndefined();
    expect(read(stack)).toBe(LOCK);
  });

  it('never overwrites a lock file Terraform changed, and says to copy it back and commit it', () => {
    write(project, LOCK);
    write(stack, UPGRADED);
    const note = syncProviderLock(project, stack);
    expect(read(stack)).toBe(UPGRADED);
    expect(read(project)).toBe(LOCK);
    expect(note).toContain(`cp cdktf.out/stacks/dev/${PROVIDER_LOCK_FILE} ${PROVIDER_LOCK_FILE}`);
    expect(note).toContain('commit it');
  });

  it('says to keep the lock file the first deploy wrote, when the project has none yet', () => {
    write(stack, LOCK);
    expect(syncProviderLock(project, stack)).toMatch(/^Terraform wrote .*keep it with the project/);
  });

  it('says nothing when both are the same, or neither exists', () => {
    expect(syncProviderLock(project, stack)).toBeUndefined();
    write(project, LOCK);
    write(stack, LOCK);
    expect(syncProviderLock(project, stack)).toBeUndefined();
  });
});
