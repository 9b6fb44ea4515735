import { formatScalar } from '../../../diagram/diagramLayout.ts';
import { selectTerm, useEditor } from '../../store/editorStore.ts';

/** A derivative by the product rule is a sum: pick the term the diagram shows. */
export function TermSelector() {
  const expression = useEditor((s) => s.derived.expression);
  if (!expression || expression.terms.length < 2) return null;
  return (
    <div
      className="term-selector"
      data-testid="terms"
      role="group"
      aria-label="Terms of the derivative"
    >
      <span className="muted small">sum of {expression.terms.length} terms:</span>
      {expression.terms.map((term, k) => (
        <button
          key={k}
          type="button"
          data-testid={`term-${k + 1}`}
          className={k === expression.term ? 'is-active' : ''}
          aria-pressed={k === expression.term}
          onClick={() => selectTerm(k)}
        >
          term {k + 1}
          {term.coefficient !== 1 ? ` (×${formatScalar(term.coefficient)})` : ''}
        </button>
      ))}
    </div>
  );
}
