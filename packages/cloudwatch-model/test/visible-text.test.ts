/**
 * The one rule for text that came in a request when it reaches a person (a page, an email, a
 * terminal): what would act on the display instead of showing (controls, bidirectional controls,
 * line and paragraph separators) is shown as an escape; everything else is kept as it is.
 */
import { hasHiddenControls, visibleText } from '../src/visible-text';

const BIDI = [
  '\u061c', // ARABIC LETTER MARK
  '\u200e', // LEFT-TO-RIGHT MARK
  '\u200f', // RIGHT-TO-LEFT MARK
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e', // RIGHT-TO-LEFT OVERRIDE
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069', // POP DIRECTIONAL ISOLATE
];
const CONTROLS = [
  ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)),
  '\x7f',
  ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(0x80 + code)),
  '\u2028',
  '\u2029',
];

describe('visibleText', () => {
  it.each([...BIDI, ...CONTROLS].map((char) => [char.codePointAt(0)!.toString(16), char]))(
    'shows U+%s as an escape, never the character itself',
    (_code, char) => {
      const shown = visibleText(`a${char}b`);

      expect(shown).not.toContain(char);
      expect(shown).toMatch(/^a\\(x[0-9a-f]{2}|u[0-9a-f]{4}|n|r|t)b$/);
    },
  );

  it('reverses nothing: an override shows as the letters it hid behind', () => {
    expect(visibleText('invoice\u202efdp.exe')).toBe('invoice\\u202efdp.exe');
  });

  it('keeps line breaks and tabs where the place lays out lines, and only there', () => {
    expect(visibleText('one\ntwo\tthree\u202e', { keepLayout: true })).toBe(
      'one\ntwo\tthree\\u202e',
    );
    expect(visibleText('one\ntwo\tthree')).toBe('one\\ntwo\\tthree');
    expect(visibleText('one\r\ntwo', { keepLayout: true })).toBe('one\\r\ntwo');
  });

  it('leaves every other character alone: accents, right-to-left letters, emoji, zero-width joiners', () => {
    const text = 'é ✓ שלום مرحبا 👩‍💻 日本';

    expect(visibleText(text)).toBe(text);
    expect(hasHiddenControls(text)).toBe(false);
  });

  it('tells whether a text has anything it would escape', () => {
    expect(hasHiddenControls('fine')).toBe(false);
    expect(hasHiddenControls('x\u2067y')).toBe(true);
    expect(hasHiddenControls('x\ny')).toBe(true);
  });
});
