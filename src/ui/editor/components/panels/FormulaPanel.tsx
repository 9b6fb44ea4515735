import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useMemo } from 'react';
import { exportLatex } from '../../../../core/export/index.ts';
import { useEditor } from '../../store/editorStore.ts';
import { CopyButton } from '../common/CopyButton.tsx';

/** The formula typeset with KaTeX (untrusted input: no \href or \html commands run). */
export function FormulaPanel() {
  const terms = useEditor((s) => s.derived.formula);
  // The same formatter as the notebook and the LaTeX export, so all three agree.
  const tex = useMemo(() => exportLatex({ terms }), [terms]);
  const html = useMemo(
    () =>
      katex.renderToString(tex, {
        trust: false,
        throwOnError: false,
        displayMode: true,
        strict: 'ignore',
      }),
    [tex],
  );
  return (
    <section className="panel formula-panel" aria-label="Formula">
      <div
        className="formula"
        data-testid="formula"
        data-tex={tex}
        dangerouslySetInnerHTML={{ __html: html }}
      />
      <CopyButton text={tex} what="the LaTeX source" testId="copy-latex" />
    </section>
  );
}
