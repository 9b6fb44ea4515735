import { RULES } from '../../../../core/rewrite/index.ts';
import {
  gotoStep,
  simplifyAll,
  simplifyOne,
  toggleRule,
  useEditor,
} from '../../store/editorStore.ts';

function RuleToggles() {
  const disabled = useEditor((s) => s.doc.disabledRules);
  return (
    <details className="rule-toggles">
      <summary>
        Rules ({RULES.length - disabled.length} of {RULES.length} on)
      </summary>
      {RULES.map((rule) => (
        <label key={rule.name} className="rule-toggle" title={rule.summary}>
          <input
            type="checkbox"
            data-testid={`rule-${rule.name}`}
            checked={!disabled.includes(rule.name)}
            onChange={() => toggleRule(rule.name)}
          />
          <span>{rule.title}</span> <code className="small">{rule.name}</code>
        </label>
      ))}
    </details>
  );
}

/** The step shown on the canvas stays visible in the log, even after "To the end". */
function keepInView(el: HTMLLIElement | null) {
  el?.scrollIntoView({ block: 'nearest' });
}

/** The simplifier's steps; the diagram shows the network after the marked one. */
function StepLog() {
  const view = useEditor((s) => s.derived.simplify);
  if (!view)
    return (
      <p className="muted small">
        Each step of the simplifier appears here and can be stepped back to.
      </p>
    );
  if (view.steps.length === 0)
    return (
      <p className="muted small" data-testid="step-log">
        No rule applies.
      </p>
    );
  return (
    <ol className="step-log" data-testid="step-log">
      <li className={view.at === 0 ? 'is-current' : ''}>
        <button type="button" data-testid="step-0" onClick={() => gotoStep(0)}>
          before simplification
        </button>
      </li>
      {view.steps.map(({ step }, k) => (
        <li
          key={k}
          className={k + 1 === view.at ? 'is-current' : k + 1 > view.at ? 'is-ahead' : ''}
          ref={k + 1 === view.at ? keepInView : undefined}
        >
          <button
            type="button"
            data-testid={`step-${k + 1}`}
            onClick={() => gotoStep(k + 1)}
            title={`${step.before}\n→ ${step.after}`}
          >
            <span className="step-rule">{step.rule}</span>
            <span className="step-text">{step.explanation}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}

export function SimplifyPanel() {
  const view = useEditor((s) => s.derived.simplify);
  const atEnd = view !== undefined && view.at >= view.steps.length;
  return (
    <section className="panel simplify-panel" aria-label="Simplification">
      <h2>Simplify</h2>
      <div className="row">
        <button type="button" data-testid="simplify-step" onClick={simplifyOne} disabled={atEnd}>
          One step
        </button>
        <button type="button" data-testid="simplify-all" onClick={simplifyAll} disabled={atEnd}>
          To the end
        </button>
        {view && (
          <span className="muted small">
            step {view.at} of {view.steps.length}
          </span>
        )}
      </div>
      <RuleToggles />
      <StepLog />
    </section>
  );
}
