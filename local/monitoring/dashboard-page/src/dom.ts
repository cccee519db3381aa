/**
 * Building the page's DOM. Text only ever goes in as text nodes; no `style` attribute is ever
 * written (the CSP forbids inline styles): positions and colours go through the CSSOM
 * (`element.style.setProperty`), which the CSP allows.
 */

type Child = Node | string | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string | undefined>> = {},
  ...children: readonly Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'style') throw new Error('inline style attributes break the CSP: use the CSSOM');
    if (value !== undefined) element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child !== undefined && child !== false) element.append(child);
  }
  return element;
}

/** Sets CSS custom properties (the grid position, a series colour) through the CSSOM. */
export function setVars(element: HTMLElement, vars: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(vars)) element.style.setProperty(name, value);
}

/** The element with `id`, which the page's HTML or an earlier render must have made. */
export function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`#${id} is missing`);
  return found as T;
}
