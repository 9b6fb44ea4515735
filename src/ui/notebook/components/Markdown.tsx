import 'katex/dist/katex.min.css';
import { useMemo } from 'react';
import { renderMarkdown } from '../../../core/tutorial/index.ts';

/**
 * Markdown with KaTeX math, from the core's renderer: raw HTML is off, links are limited
 * to safe ones (safeLinkHref) and KaTeX runs with trust: false, so text from a shared link
 * or a tutorial cannot inject markup or script. This is the only HTML the notebook sets.
 */
export function Markdown({ text, className = 'markdown' }: { text: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(text, { math: 'katex' }), [text]);
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}
