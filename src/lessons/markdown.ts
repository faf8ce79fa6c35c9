/**
 * Lesson Markdown -> safe HTML. Two layers:
 * 1. marked renders with raw HTML escaped (html tokens become text), links limited to http(s),
 *    mailto and in-page anchors, images dropped to their alt text;
 * 2. an allowlist sanitizer walks the produced HTML: only known tags, only known attributes
 *    (href checked again), everything else escaped. Lesson text can never run script.
 */
import { Marked } from 'marked';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const SAFE_URL = /^(?:https?:\/\/|mailto:|#)[^\s"'<>]*$/i;

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }) { return escapeHtml(text); },
    link({ href, title, tokens }) {
      const inner = this.parser.parseInline(tokens);
      if (!SAFE_URL.test(href)) return inner;
      const t = title ? ` title="${escapeHtml(title)}"` : '';
      const ext = href.startsWith('#') ? '' : ' target="_blank" rel="noopener noreferrer"';
      return `<a href="${escapeHtml(href)}"${t}${ext}>${inner}</a>`;
    },
    image({ text }) { return escapeHtml(text); },
  },
});

const TAGS = new Set([
  'p', 'br', 'hr', 'em', 'strong', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'input', 'kbd', 'sub', 'sup',
]);
const ATTRS: Record<string, Set<string>> = {
  a: new Set(['href', 'title', 'target', 'rel']),
  ol: new Set(['start']),
  code: new Set(['class']),
  th: new Set(['align']),
  td: new Set(['align']),
  input: new Set(['type', 'checked', 'disabled']),
};

/** Keep only allowlisted tags and attributes of an HTML string; escape everything else. */
export function sanitizeHtml(html: string): string {
  let out = '';
  let i = 0;
  const tagRe = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][\w:.-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/y;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) { out += html.slice(i); break; }
    out += html.slice(i, lt);
    tagRe.lastIndex = lt;
    const m = tagRe.exec(html);
    const name = m?.[2].toLowerCase();
    if (!m || !name || !TAGS.has(name)) {
      // Not a tag we allow: escape its "<" and go on (the rest reads as text).
      out += '&lt;';
      i = lt + 1;
      continue;
    }
    if (m[1]) { out += `</${name}>`; i = tagRe.lastIndex; continue; }
    const allowed = ATTRS[name];
    let attrs = '';
    const attrRe = /([a-zA-Z_:][\w:.-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
    for (const a of m[3].matchAll(attrRe)) {
      const an = a[1].toLowerCase();
      if (!allowed?.has(an)) continue;
      const raw = a[2] ?? a[3] ?? a[4] ?? '';
      const value = raw.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      if (an === 'href' && !SAFE_URL.test(value)) continue;
      if (name === 'input' && an === 'type' && value !== 'checkbox') continue;
      if (an === 'class' && !/^language-[\w-]+$/.test(value)) continue;
      attrs += ` ${an}="${escapeHtml(value)}"`;
    }
    out += `<${name}${attrs}${m[4] ? ' /' : ''}>`;
    i = tagRe.lastIndex;
  }
  return out;
}

/** Render lesson Markdown to sanitized HTML. */
export function renderMarkdown(md: string): string {
  return sanitizeHtml(marked.parse(md, { async: false }) as string);
}
