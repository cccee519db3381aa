/**
 * The repository a rehearsal runs: a bare git repository standing in for github.com's copy,
 * whose `main` holds what this working tree would commit (`git ls-files --cached --others
 * --exclude-standard`: tracked and new files, never ignored ones). So node_modules/, .local/,
 * reports/, cdktf.out/ and .build/ do not exist in what a job checks out, as on a fresh runner;
 * and uncommitted edits are rehearsed too, without touching this repository's own git data.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Rehearsal',
  GIT_AUTHOR_EMAIL: 'rehearsal@example.com',
  GIT_COMMITTER_NAME: 'Rehearsal',
  GIT_COMMITTER_EMAIL: 'rehearsal@example.com',
};

function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...IDENTITY, GIT_CONFIG_NOSYSTEM: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export class Repository {
  private constructor(
    /** The bare repository, as a path (checkout fetches from it). */
    readonly origin: string,
    /** A working clone used to make new commits on main. */
    private readonly scratch: string,
  ) {}

  /** Copies `source`'s committable files into a new repository's `main` under `folder`. */
  static fromWorkingTree(source: string, folder: string): Repository {
    const scratch = path.join(folder, 'scratch');
    const origin = path.join(folder, 'origin.git');
    fs.mkdirSync(scratch, { recursive: true });
    const files = execFileSync(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      {
        cwd: source,
        encoding: 'utf8',
      },
    )
      .split('\0')
      .filter((file) => file !== '');
    for (const file of files) {
      const from = path.join(source, file);
      if (!fs.existsSync(from)) continue; // tracked, deleted in the working tree
      const to = path.join(scratch, file);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
      fs.chmodSync(to, fs.statSync(from).mode);
    }
    git(['init', '--quiet', '--initial-branch=main'], scratch);
    git(['add', '--all'], scratch);
    git(['commit', '--quiet', '--message', 'The working tree, as it would be committed'], scratch);
    git(['init', '--quiet', '--bare', origin], folder);
    // actions/checkout fetches a commit by its sha; a local bare repository must allow that.
    git(['config', 'uploadpack.allowAnySHA1InWant', 'true'], origin);
    git(['remote', 'add', 'origin', origin], scratch);
    git(['push', '--quiet', 'origin', 'main'], scratch);
    return new Repository(origin, scratch);
  }

  /** The commit `ref` points at in the origin. */
  sha(ref = 'refs/heads/main'): string {
    return git(['rev-parse', '--verify', `${ref}^{commit}`], this.origin);
  }

  /** Merges a new commit to main (a file changed in it), as a merged pull request would. */
  merge(
    message: string,
    change: { file: string; text: string } = { file: 'CHANGES.md', text: `${message}\n` },
  ): string {
    fs.appendFileSync(path.join(this.scratch, change.file), change.text);
    git(['add', '--all'], this.scratch);
    git(['commit', '--quiet', '--message', message], this.scratch);
    git(['push', '--quiet', 'origin', 'main'], this.scratch);
    return this.sha();
  }

  /** A commit on a new branch off main, which main does not contain. */
  branch(name: string, message: string): string {
    git(['switch', '--quiet', '--create', name], this.scratch);
    fs.appendFileSync(path.join(this.scratch, 'CHANGES.md'), `${message}\n`);
    git(['add', '--all'], this.scratch);
    git(['commit', '--quiet', '--message', message], this.scratch);
    git(['push', '--quiet', 'origin', name], this.scratch);
    const sha = git(['rev-parse', 'HEAD'], this.scratch);
    git(['switch', '--quiet', 'main'], this.scratch);
    return sha;
  }

  /** Points `ref` (e.g. refs/pull/1/merge) at `sha` in the origin. */
  setRef(ref: string, sha: string): void {
    git(['update-ref', ref, sha], this.origin);
  }

  /** Whether `older` is an ancestor of `newer` in the origin. */
  isAncestor(older: string, newer: string): boolean {
    try {
      git(['merge-base', '--is-ancestor', older, newer], this.origin);
      return true;
    } catch {
      return false;
    }
  }
}
