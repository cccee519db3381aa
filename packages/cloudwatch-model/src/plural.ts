/**
 * A count with its noun, in the singular for one: `1 simulated second`, `2 retries`,
 * `1,000,000 requests` (`written`: the count as the sentence writes it). Every sentence of the
 * local system and its scripts that counts something goes through it (the terminal, the pages, the
 * emails, the cost report). No Node.js imports: the monitor's page bundles it.
 */
export function plural(
  count: number,
  singular: string,
  pluralForm = `${singular}s`,
  written = String(count),
): string {
  return `${written} ${count === 1 ? singular : pluralForm}`;
}
