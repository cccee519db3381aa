/**
 * A count with its noun, in the singular for one: `1 simulated second`, `2 retries`. Every
 * sentence of the local system that counts something goes through it (the terminal, the pages,
 * the emails). No Node.js imports: the monitor's page bundles it.
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
