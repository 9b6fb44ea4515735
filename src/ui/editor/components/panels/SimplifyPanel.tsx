import { useEffect } from 'react';
import type { StepVerdict } from '../../../../core/check/stepCheck.ts';
import { RULES } from '../../../../core/rewrite/index.ts';
import { scheduleChecks, useChecks } from '../../store/checkStore.ts';
import {
  gotoStep,
  simplifyAll,
  simplifyOne,
  toggleRule,
  useEditor,
} from '../../store/editorStore.ts';
import {
  pauseReplay,
  playDerivation,
  resumeReplay,
  stopReplay,
  useReplay,
} from '../../store/replayStore.ts';

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

/** ✓ when a check on a small random instance found the value kept, ✗ with the difference. */
function Verdict({ verdict, testId }: { verdict: StepVerdict | undefined; testId: string }) {
  if (!verdict) return null;
  if (verdict.status === 'skipped')
    return (
      <span
        className="step-check muted"
        data-testid={testId}
        data-status="skipped"
        title={verdict.reason}
      >
        –
      </span>
    );
  const ok = verdict.status === 'ok';
  return (
    <span
      className={`step-check ${ok ? 'check-ok' : 'check-bad'}`}
      data-testid={testId}
      data-status={verdict.status}
      title={
        ok
          ? `checked on a small random instance: max difference ${verdict.diff.toExponential(1)}`
          : `this step changes the value: max difference ${verdict.diff.toExponential(2)}`
      }
    >
      {ok ? '✓' : `✗ ${verdict.diff.toExponential(1)}`}
    </span>
  );
}

/** Whether the checks shown belong to the document on screen. */
function useCurrentChecks() {
  const doc = useEditor((s) => s.doc);
  const checkedDoc = useChecks((s) => s.doc);
  const checks = useChecks((s) => s.checks);
  return checkedDoc === doc ? checks : undefined;
}

/** The last differentiation, checked against a central difference. */
function DifferentiationCheck() {
  const checks = useCurrentChecks();
  const verdict = checks?.differentiation;
  if (!verdict) return null;
  return (
    <p className="small" data-testid="diff-check-row">
      derivative checked on a small random instance ({checks.instance}):{' '}
      <Verdict verdict={verdict} testId="diff-check" />
    </p>
  );
}

/** The step shown on the canvas stays visible in the log, even after "To the end". */
function keepInView(el: HTMLLIElement | null) {
  el?.scrollIntoView({ block: 'nearest' });
}

/** The simplifier's steps; the diagram shows the network after the marked one. */
function StepLog() {
  const view = useEditor((s) => s.derived.simplify);
  const checks = useCurrentChecks();
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
          <Verdict verdict={checks?.simplify[k]} testId={`step-check-${k + 1}`} />
        </li>
      ))}
    </ol>
  );
}

/**
 * Plays the derivation back on the canvas from its start to the step shown, one step a
 * second, each animated; the work itself stays as it is.
 */
function PlayControl() {
  const doc = useEditor((s) => s.doc);
  const active = useReplay((s) => s.doc !== undefined && s.doc === doc);
  const playing = useReplay((s) => s.playing);
  const at = useReplay((s) => s.at);
  const count = useReplay((s) => s.frames.length);
  const caption = useReplay((s) => s.frames[s.at]?.caption);
  if (doc.diagram.steps.length === 0) return null;
  if (!active)
    return (
      <div className="row replay">
        <button
          type="button"
          data-testid="play-derivation"
          onClick={playDerivation}
          title="Replay the derivation on the canvas from its start to the step shown"
        >
          ▶ Play derivation
        </button>
      </div>
    );
  return (
    <div className="row replay">
      {playing ? (
        <button type="button" data-testid="replay-pause" onClick={pauseReplay}>
          ❚❚ Pause
        </button>
      ) : (
        <button type="button" data-testid="replay-resume" onClick={resumeReplay}>
          ▶ Resume
        </button>
      )}
      <button type="button" data-testid="replay-stop" onClick={stopReplay}>
        ■ Stop
      </button>
      <span className="muted small" data-testid="replay-caption" aria-live="polite">
        {at + 1} of {count}: {caption}
      </span>
    </div>
  );
}

export function SimplifyPanel() {
  const view = useEditor((s) => s.derived.simplify);
  const doc = useEditor((s) => s.doc);
  const derived = useEditor((s) => s.derived);
  useEffect(() => scheduleChecks(doc, derived), [doc, derived]);
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
      <PlayControl />
      <RuleToggles />
      <DifferentiationCheck />
      <StepLog />
    </section>
  );
}
