/**
 * A text widget's markdown as HTML: marked (GitHub-flavoured markdown) renders it with any raw
 * HTML escaped, shown as the text it is (parsing it, even inertly, would trip the page's CSP on a
 * style attribute); DOMPurify then keeps only the elements markdown produces and links with safe
 * URLs (a `javascript:` link loses its href); and every link is made local (local-links.ts).
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { localLink, type LocalLinkTargets } from '../../src/local-links';
import { setText, shown } from './dom';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: { html: ({ text }) => text.replace(/[&<>"']/g, (char) => ESCAPES[char]) },
});

const ALLOWED_TAGS = [
  'a',
  'blockquote',
  'br',
  'code',
  'del',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'strong',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
];

export function renderMarkdown(text: string, links: LocalLinkTargets): DocumentFragment {
  const html = markdown.parse(text, { async: false });
  const fragment = DOMPurify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'title'],
    RETURN_DOM_FRAGMENT: true,
  });
  for (const anchor of fragment.querySelectorAll('a[href]')) {
    anchor.setAttribute('href', localLink(anchor.getAttribute('href') ?? '', links));
    anchor.setAttribute('rel', 'noopener noreferrer');
  }
  return fragment;
}

/**
 * Plain text (an alarm's description) with its URLs as links to what they open locally, shown as
 * such. A URL runs to the next space, as the alarm emails read it (a Logs Insights link holds
 * quotes and parentheses).
 */
export function linkify(text: string, links: LocalLinkTargets): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const match of text.matchAll(/https?:\/\/\S+/g)) {
    fragment.append(shown(text.slice(at, match.index)));
    const anchor = document.createElement('a');
    anchor.href = localLink(match[0], links);
    anchor.rel = 'noopener noreferrer';
    setText(anchor, readable(anchor.href));
    fragment.append(anchor);
    at = match.index + match[0].length;
  }
  fragment.append(shown(text.slice(at)));
  return fragment;
}

function readable(href: string): string {
  try {
    return decodeURI(href);
  } catch {
    return href;
  }
}
