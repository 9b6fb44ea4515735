import katex from 'katex';
import MarkdownItCtor, { type MarkdownIt, type StateBlock, type StateInline } from 'markdown-it';
import { safeLinkHref } from '../share/url.ts';

/**
 * Markdown for prose cells and tutorials (CommonMark through markdown-it), safe for text
 * from strangers: no raw HTML (`<script>` stays text), no images, links only where
 * safeLinkHref allows (others stay text), no linkify. Math: `$…$` inline and `$$…$$`
 * display (a block when `$$` starts a line), rendered with KaTeX (`trust: false`, so
 * \href, \url, \includegraphics and \htmlClass are refused) or left as escaped TeX in
 * `<span class="math" data-tex="…">` for the UI to typeset itself. Runs in Node: no DOM.
 */

export type MathMode = 'katex' | 'tex';

export interface RenderOptions {
  /** 'katex' (default): KaTeX HTML + MathML; 'tex': the escaped TeX in data-tex, for the UI to typeset. */
  math?: MathMode;
}

/** TeX longer than this is shown as text rather than rendered. */
export const MAX_TEX_LENGTH = 4000;

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function renderTex(tex: string, display: boolean, mode: MathMode = 'katex'): string {
  const cls = display ? 'math math-display' : 'math math-inline';
  if (mode === 'tex' || tex.length > MAX_TEX_LENGTH) {
    return `<span class="${cls}" data-tex="${escapeHtml(tex)}">${escapeHtml(tex)}</span>`;
  }
  try {
    return katex.renderToString(tex, {
      displayMode: display,
      throwOnError: false,
      trust: false,
      strict: 'ignore',
      output: 'htmlAndMathml',
      maxSize: 20,
      maxExpand: 1000,
    });
  } catch {
    return `<span class="${cls} math-error" data-tex="${escapeHtml(tex)}">${escapeHtml(tex)}</span>`;
  }
}

/** Number of backslashes right before position `at`. */
function backslashesBefore(src: string, at: number): number {
  let n = 0;
  while (at - 1 - n >= 0 && src[at - 1 - n] === '\\') n++;
  return n;
}

/** `$…$` (pandoc's rule: no space inside the delimiters, no digit right after) and `$$…$$`. */
function mathInline(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src.charCodeAt(start) !== 0x24) return false;
  const display = src.charCodeAt(start + 1) === 0x24;
  const delim = display ? '$$' : '$';
  const from = start + delim.length;
  if (!display && (from >= src.length || /\s/.test(src[from]))) return false;
  let end = from;
  for (;;) {
    end = src.indexOf(delim, end);
    if (end < 0) return false;
    if (backslashesBefore(src, end) % 2 === 0) break;
    end += 1;
  }
  if (end === from) return false;
  if (!display && (/\s/.test(src[end - 1]) || /\d/.test(src[end + 1] ?? ''))) return false;
  if (!silent) {
    const token = state.push(display ? 'math_display' : 'math_inline', 'math', 0);
    token.content = src.slice(from, end);
    token.markup = delim;
  }
  state.pos = end + delim.length;
  return true;
}

/** A block that starts with `$$` at the beginning of a line and ends at the next `$$`. */
function mathBlock(
  state: StateBlock,
  startLine: number,
  endLine: number,
  silent: boolean,
): boolean {
  const begin = state.bMarks[startLine] + state.tShift[startLine];
  const lineEnd = state.eMarks[startLine];
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  if (!state.src.startsWith('$$', begin)) return false;
  const first = state.src.slice(begin + 2, lineEnd);
  let content: string;
  let next = startLine;
  const trimmed = first.trimEnd();
  if (trimmed.endsWith('$$') && trimmed.length >= 2) {
    content = trimmed.slice(0, -2);
  } else {
    let found = false;
    let last = '';
    for (next = startLine + 1; next < endLine; next++) {
      const pos = state.bMarks[next] + state.tShift[next];
      const max = state.eMarks[next];
      if (pos < max && state.sCount[next] < state.blkIndent) break;
      const text = state.src.slice(pos, max).trimEnd();
      if (text.endsWith('$$')) {
        last = text.slice(0, -2);
        found = true;
        break;
      }
    }
    if (!found) return false;
    content = [first, state.getLines(startLine + 1, next, state.tShift[startLine], false), last]
      .filter((s) => s.trim())
      .join('\n');
  }
  if (silent) return true;
  state.line = next + 1;
  const token = state.push('math_block', 'math', 0);
  token.block = true;
  token.content = content.trim();
  token.markup = '$$';
  token.map = [startLine, state.line];
  return true;
}

function createMarkdown(math: MathMode): MarkdownIt {
  const md = new MarkdownItCtor('default', {
    html: false,
    linkify: false,
    typographer: false,
    breaks: false,
  });
  md.disable(['image']);
  md.validateLink = (url: string) => safeLinkHref(url) !== null;
  md.inline.ruler.before('escape', 'math_inline', mathInline);
  md.block.ruler.before('fence', 'math_block', mathBlock, {
    alt: ['paragraph', 'reference', 'blockquote', 'list'],
  });
  md.renderer.rules.math_inline = (tokens, idx) => renderTex(tokens[idx].content, false, math);
  md.renderer.rules.math_display = (tokens, idx) => renderTex(tokens[idx].content, true, math);
  md.renderer.rules.math_block = (tokens, idx) =>
    `<div class="math-block">${renderTex(tokens[idx].content, true, math)}</div>\n`;
  const defaultLinkOpen =
    md.renderer.rules.link_open ??
    ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const href = safeLinkHref(token.attrGet('href') ?? '');
    if (href === null) token.attrSet('href', '#');
    else if (/^https?:/i.test(href)) {
      token.attrSet('target', '_blank');
      token.attrSet('rel', 'noopener noreferrer nofollow');
    }
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  return md;
}

const instances: Partial<Record<MathMode, MarkdownIt>> = {};

/** The shared, configured markdown-it instance for a math mode. */
export function markdown(math: MathMode = 'katex'): MarkdownIt {
  return (instances[math] ??= createMarkdown(math));
}

/** Markdown (with math) to an HTML string that is safe to insert. */
export function renderMarkdown(text: string, options: RenderOptions = {}): string {
  return markdown(options.math ?? 'katex').render(String(text));
}
