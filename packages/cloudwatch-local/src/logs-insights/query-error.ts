/** A query outside the supported subset, or malformed: names the problem and where it is. */
export class QueryError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(
    readonly query: string,
    readonly offset: number,
    problem: string,
  ) {
    const before = query.slice(0, offset).split('\n');
    const line = before.length;
    const column = before[before.length - 1].length + 1;
    super(`Logs Insights query, line ${line} column ${column}: ${problem}`);
    this.name = 'QueryError';
    this.line = line;
    this.column = column;
  }
}
