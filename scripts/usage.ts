/**
 * How a script refuses its command line: a one-line message naming the problem, then the usage
 * line, on stderr, exit code 2; never a stack trace, and before any work starts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { visibleText } from '@monitored/cloudwatch-model';
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
 * the script does not take is an error), failing with a UsageError. An option with a value given
 * twice is refused too, unless it is declared `multiple`: parseArgs would keep the last one without
 * a word, and `--creates 1 --creates 2` is a mistake, not a choice. A flag without a value says the
 * same thing however often it is given (`--no-monitor` from a wrapper and from its user).
 */
export function parseCommandLine<T extends ParseArgsConfig & { readonly strict?: true }>(
  config: T,
): ReturnType<typeof parseArgs<T>> {
  let parsed: ReturnType<typeof parseArgs<T & { tokens: true }>>;
  try {
    parsed = parseArgs({ ...config, tokens: true });
  } catch (error: unknown) {
    // Some of parseArgs' messages run over lines ("… is ambiguous.\nDid you forget …").
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.replace(/\s*\n\s*/g, ' '));
  }
  const seen = new Map<string, string | undefined>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option' || token.value === undefined) continue;
    if (config.options?.[token.name]?.multiple === true) continue;
    const earlier = seen.get(token.name);
    if (earlier !== undefined)
      throw new UsageError(
        `--${token.name} is given twice (${JSON.stringify(earlier)}, then ${JSON.stringify(token.value)}): give it once`,
      );
    seen.set(token.name, token.value);
  }
  const { tokens: _tokens, ...result } = parsed;
  return result as ReturnType<typeof parseArgs<T>>;
}

/** How a number option is bounded, and what its value counts (said when it is out of range). */
export interface NumberRange {
  /** The value must be above this. */
  readonly above?: number;
  readonly atMost: number;
  /** `simulated seconds per real second`, `seconds`. */
  readonly unit: string;
}

// As a person writes a number: Number() would also take 0x10, 1e3, ' 60', '' (as 0) and Infinity.
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;
const WHOLE_NUMBER = /^\d+$/;

/** A decimal number (`60`, `0.5`, `.5`) within `range`, or a UsageError naming what is wrong. */
export function decimalOption(flag: string, raw: string, range: NumberRange): number {
  if (!DECIMAL.test(raw))
    throw new UsageError(
      `${flag} "${raw}" is not a decimal number (digits with at most one point, such as 60 or 0.5)`,
    );
  const value = Number(raw);
  if ((range.above !== undefined && !(value > range.above)) || !(value <= range.atMost)) {
    const bounds = [
      ...(range.above === undefined ? [] : [`above ${range.above}`]),
      `at most ${range.atMost}`,
    ];
    throw new UsageError(
      `${flag} "${raw}" is out of range: ${range.unit}, ${bounds.join(' and ')}`,
    );
  }
  return value;
}

/**
 * A whole number of 0 or more in decimal digits, up to the largest integer a double holds exactly
 * (a count a script adds up), or a UsageError naming what is wrong.
 */
export function wholeNumberOption(flag: string, raw: string): number {
  if (!WHOLE_NUMBER.test(raw))
    throw new UsageError(`${flag} "${raw}" is not a whole number of 0 or more (digits only)`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value))
    throw new UsageError(`${flag} "${raw}" is too large: at most ${Number.MAX_SAFE_INTEGER}`);
  return value;
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
  process.stderr.write(`${visibleText(error.message)}\n${usage}\n`);
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
