/**
 * How a script refuses its command line: a one-line message naming the problem, then the usage
 * line, on stderr, exit code 2; never a stack trace, and before any work starts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ensureDirectory, UnusablePathError } from '../local/folders';

/** The exit code of a command line a script refuses. */
export const USAGE_EXIT_CODE = 2;

/** A command line a script cannot take; the message names the problem in one line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * node:util's parseArgs, strict (its default: an unknown option, a missing value or an argument
 * the script does not take is an error), failing with a UsageError.
 */
export function parseCommandLine<T extends ParseArgsConfig & { readonly strict?: true }>(
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error: unknown) {
    // Some of parseArgs' messages run over lines ("… is ambiguous.\nDid you forget …").
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.replace(/\s*\n\s*/g, ' '));
  }
}

/**
 * A script's command line read by `read`: what it asked for, or the exit code once `--help`
 * printed the usage line (0) or a UsageError was refused (2).
 */
export function readCommandLine<T>(
  read: () => T | 'help',
  usage: string,
): { readonly args: T } | { readonly exitCode: number } {
  let parsed: T | 'help';
  try {
    parsed = read();
  } catch (error: unknown) {
    if (!(error instanceof UsageError)) throw error;
    return { exitCode: refuse(error, usage) };
  }
  if (parsed === 'help') {
    process.stdout.write(`${usage}\n`);
    return { exitCode: 0 };
  }
  return { args: parsed };
}

/** Writes the problem and the usage line to stderr; returns the exit code. */
export function refuse(error: UsageError, usage: string): number {
  process.stderr.write(`${error.message}\n${usage}\n`);
  return USAGE_EXIT_CODE;
}

/** `value` when it is an http(s) URL, else a UsageError naming `what` (`--api-url`, `API_URL`). */
export function httpUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${what} is not an http(s) URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${what} is not an http(s) URL: ${value}`);
  return value;
}

/**
 * Makes `dir` before any work starts, or refuses it with a UsageError naming `source`: the option
 * or variable it came from (`--outbox /proc/x`, `MSGS_LOCAL_DIR=/proc/x`).
 */
export function usableFolder(source: string, dir: string): void {
  try {
    ensureDirectory(dir);
  } catch (error: unknown) {
    if (error instanceof UnusablePathError) throw new UsageError(`${source}: ${error.message}`);
    throw error;
  }
}

/** Makes the folder of `file` and opens it for appending, or refuses it naming `source`. */
export function usableFile(source: string, file: string): void {
  if (fs.existsSync(file) && fs.statSync(file).isDirectory())
    throw new UsageError(`${source} is a folder; give a file`);
  usableFolder(source, path.dirname(file));
  try {
    fs.closeSync(fs.openSync(file, 'a'));
  } catch (error: unknown) {
    throw new UsageError(`${source}: cannot open the file ${file}: ${(error as Error).message}`);
  }
}
