import * as fs from 'node:fs';
import * as path from 'node:path';

/** Terraform's dependency lock file: the provider versions and their checksums. */
export const PROVIDER_LOCK_FILE = '.terraform.lock.hcl';

/**
 * Keeps the provider lock file where it can be committed. Terraform writes it in the directory it
 * runs in, which for cdktf is the stack's directory under cdktf.out (cdktf 0.21 has no setting for
 * another place: hashicorp/terraform-cdk#1216, #2200), and `rm -rf cdktf.out` loses it. So the
 * project keeps one at its root, shared by all stages (they use the same provider), and synth
 * copies it into a stack's directory that has none. A lock that Terraform changed there is never
 * overwritten: the returned note says to copy it back and commit it.
 *
 * @returns a note for the person running synth, or undefined when there is nothing to do
 */
export function syncProviderLock(
  projectDirectory: string,
  stackDirectory: string,
): string | undefined {
  const projectLock = path.join(projectDirectory, PROVIDER_LOCK_FILE);
  const stackLock = path.join(stackDirectory, PROVIDER_LOCK_FILE);
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
  const kept = read(projectLock);
  const used = read(stackLock);
  if (kept !== undefined && used === undefined) {
    fs.mkdirSync(stackDirectory, { recursive: true });
    fs.copyFileSync(projectLock, stackLock);
    return undefined;
  }
  if (used === undefined || used === kept) return undefined;
  const copy = `cp ${path.relative(projectDirectory, stackLock)} ${PROVIDER_LOCK_FILE}`;
  return kept === undefined
    ? `Terraform wrote ${stackLock}; keep it with the project: ${copy}, and commit it`
    : `Terraform changed ${stackLock} (a provider upgrade, or checksums for another platform); keep it: ${copy}, and commit it`;
}
