import { showHint, useUi } from '../store/uiStore.ts';

/** First visit only: what to try. */
export function Hint() {
  const visible = useUi((s) => s.hintVisible);
  if (!visible) return null;
  return (
    <aside className="hint" data-testid="hint">
      <strong>Try this:</strong> click <em>W</em> and press <em>VJP</em> to get the weight gradient;
      pick the <em>Patchify</em> preset and press <em>To the end</em> to watch Π vanish; drag from
      one leg to another to join them. Ctrl+Z undoes anything.
      <button
        type="button"
        className="link"
        onClick={() => showHint(false)}
        aria-label="Dismiss the hint"
      >
        Got it
      </button>
    </aside>
  );
}
