/**
 * Building the page's DOM. Text only ever goes in as text nodes, and through the one rule for a
 * request's text (packages/cloudwatch-model/src/visible-text.ts: a control or a bidi override shows as an escape), so
 * that a log line, an error that quotes a query, a state reason or a name from the link cannot
 * reorder what the page shows. No `style` attribute is ever written (the CSP forbids inline
 * styles): positions and colours go through the CSSOM (`element.style.setProperty`), which the
 * CSP allows.
 */
import { visibleText } from '@monitored/cloudwatch-model';

type Child = Node | string | undefined | false;

/** Text as the page shows it: line breaks and tabs kept, anything that would act on it escaped. */
export function shown(text: string): string {
  return visibleText(text, { keepLayout: true });
}

/** Sets an element's text (never markup), shown by the rule. */
export function setText(element: Node, text: string): void {
  element.textContent = shown(text);
}

/** Sets the document's title, shown by the rule. */
export function setTitle(title: string): void {
  document.title = visibleText(title);
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string | undefined>> = {},
  ...children: readonly Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'style') throw new Error('inline style attributes break the CSP: use the CSSOM');
    if (value !== undefined) element.setAttribute(name, shown(value));
  }
  for (const child of children) {
    if (child !== undefined && child !== false)
      element.append(typeof child === 'string' ? shown(child) : child);
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
