/**
 * The one rule for text that came in a request (a message, a header, an alarm's state reason set
 * through the monitor, an API's answer quoted in a canary's error) wherever it reaches a person:
 * the terminal, the monitor's pages, the canary pages, the alarm emails, the website's error
 * messages. A character that would act on the display instead of showing is written as an escape
 * (`\x1b`, `\n`, `\u202e`): C0 and C1 controls and DEL (a terminal acts on ESC and CSI sequences),
 * the line and paragraph separators, and the bidirectional controls (embeddings, overrides,
 * isolates, and the LRM, RLM and ALM marks), which could reorder text so that it reads as
 * something else ("invoice\u202efdp.exe" shows as "invoiceexe.pdf"). Everything else is shown as
 * it is, right-to-left letters included: isolating their direction is the page's job (`<bdi>`).
 * No Node.js imports: the monitor's page and the website bundle it.
 */

/* eslint-disable no-control-regex -- matching control characters is the point */
const HIDDEN =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const ANY_HIDDEN = new RegExp(HIDDEN.source);
/* eslint-enable no-control-regex */
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export interface VisibleTextOptions {
  /**
   * Keep line breaks and tabs (`\n`, `\t`), where the place lays text out in lines (a page, a
   * `<pre>`, an email's body); a terminal line or a header gets `\n` and `\t`. @default false
   */
  readonly keepLayout?: boolean;
}

/** `text` with every character that would act on the display written as a visible escape. */
export function visibleText(text: string, options: VisibleTextOptions = {}): string {
  return text.replace(HIDDEN, (char) => {
    if ((char === '\n' || char === '\t') && options.keepLayout === true) return char;
    const code = char.charCodeAt(0);
    return (
      NAMED[char] ??
      (code <= 0xff
        ? `\\x${code.toString(16).padStart(2, '0')}`
        : `\\u${code.toString(16).padStart(4, '0')}`)
    );
  });
}

/** Whether `text` holds anything visibleText would escape (a line break included). */
export function hasHiddenControls(text: string): boolean {
  return ANY_HIDDEN.test(text);
}
