/**
 * What a step hands back to the runner: the environment files (GITHUB_OUTPUT, GITHUB_ENV,
 * GITHUB_PATH) and the `::command::` lines of its output, read as GitHub documents them in
 * "Workflow commands for GitHub Actions"
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands):
 * `name=value` lines, and the multiline form `name<<DELIMITER`, the value's lines, `DELIMITER`.
 */

export class FileCommandError extends Error {}

/**
 * Parses a GITHUB_OUTPUT or GITHUB_ENV file. The rules are actions/runner's
 * (FileCommandManager): a line is `name=value` when its first `=` comes before any `<<`, else
 * `name<<delimiter`; an empty name or delimiter, or a delimiter never closed, fails the step.
 */
export function parseKeyValueFile(text: string, file: string): Map<string, string> {
  const values = new Map<string, string>();
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  for (let at = 0; at < lines.length; at += 1) {
    const line = lines[at];
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const name = line.slice(0, equals);
      if (name === '')
        throw new FileCommandError(
          `Invalid format '${line}' in ${file}: the name must not be empty`,
        );
      values.set(name, line.slice(equals + 1));
      continue;
    }
    if (heredoc < 0) throw new FileCommandError(`Invalid format '${line}' in ${file}`);
    const name = line.slice(0, heredoc);
    const delimiter = line.slice(heredoc + 2);
    if (name === '' || delimiter === '') {
      throw new FileCommandError(
        `Invalid format '${line}' in ${file}: a name and a delimiter are needed`,
      );
    }
    const end = lines.indexOf(delimiter, at + 1);
    if (end === -1) {
      throw new FileCommandError(
        `Invalid value in ${file}: matching delimiter not found '${delimiter}'`,
      );
    }
    values.set(name, lines.slice(at + 1, end).join('\n'));
    at = end;
  }
  return values;
}

/** GITHUB_PATH: one directory a line; each goes before the PATH of the steps after it. */
export function parsePathFile(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * GITHUB_ENV may not set NODE_OPTIONS: actions/runner refuses it ("Can't store NODE_OPTIONS
 * output parameter using '$GITHUB_ENV' command."), and the default variables cannot be
 * overwritten ("If you attempt to override the value of one of these default variables, the
 * assignment is ignored": Variables reference).
 */
export function checkEnvName(name: string): 'set' | 'ignored' {
  if (name.toUpperCase() === 'NODE_OPTIONS') {
    throw new FileCommandError(
      "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.",
    );
  }
  return /^(GITHUB|RUNNER)_/i.test(name) ? 'ignored' : 'set';
}

export interface Annotation {
  readonly level: 'error' | 'warning' | 'notice';
  readonly message: string;
  readonly properties: Readonly<Record<string, string>>;
}

/** `::error file=a,line=1::message` and its kin, from a step's output. */
export function annotationsIn(output: string): Annotation[] {
  const found: Annotation[] = [];
  for (const line of output.split('\n')) {
    const match = /^::(error|warning|notice)( [^:]*)?::(.*)$/.exec(line.trim());
    if (match === null) continue;
    const properties = Object.fromEntries(
      (match[2] ?? '')
        .trim()
        .split(',')
        .filter((pair) => pair.includes('='))
        .map((pair) => [
          pair.slice(0, pair.indexOf('=')).trim(),
          pair.slice(pair.indexOf('=') + 1),
        ]),
    );
    found.push({ level: match[1] as Annotation['level'], message: match[3], properties });
  }
  return found;
}
