import type { Network } from '../../../core/network.ts';
import type { DiagramCell } from '../../../core/notebook/index.ts';
import type { Point } from '../../diagram/diagramLayout.ts';
import { usePlayback } from '../../diagram/usePlayback.ts';
import { framesOf } from '../../../core/diagram/derivationFrames.ts';
import { DiagramCanvas } from './DiagramCanvas.tsx';

/**
 * A diagram cell's canvas with its derivation to step through: back to the start, one
 * step back or forward, and Play, which replays every step (a simplification rewrite by
 * rewrite) and returns to the cell's diagram. Each change of frame is animated by the
 * canvas as in the editor. The cell is never changed, so this works in tutorials too.
 */
export function DerivationView({
  cell,
  network,
  term,
  positions,
}: {
  cell: DiagramCell;
  /** What the cell shows: the network after every step. */
  network: Network;
  term: number;
  positions?: Readonly<Record<string, Point>>;
}) {
  const owner = `${term}`;
  const playback = usePlayback(cell.steps.length > 0 ? cellKey(cell, owner) : undefined);
  const frames = () => framesOf(cell, term);
  const at = playback.at;
  const frame = at === undefined ? undefined : frames()[at];
  const count = at === undefined ? undefined : frames().length;
  return (
    <>
      <DiagramCanvas
        network={frame?.network ?? network}
        positions={frame ? undefined : positions}
        highlight={frame?.highlight}
      />
      {cell.steps.length > 0 && (
        <div className="nb-player row" role="group" aria-label="Step through the derivation">
          <button
            type="button"
            className="icon"
            data-testid="derivation-start"
            disabled={at === 0}
            onClick={() => playback.go(0, frames().length)}
            title="The start of the derivation"
            aria-label="Go to the start of the derivation"
          >
            ⏮
          </button>
          <button
            type="button"
            className="icon"
            data-testid="derivation-back"
            disabled={at === 0}
            onClick={() => {
              const n = frames().length;
              playback.go((at ?? n - 1) - 1, n);
            }}
            title="One step back"
            aria-label="One step back"
          >
            ◀
          </button>
          <button
            type="button"
            className="icon"
            data-testid="derivation-forward"
            disabled={at === undefined}
            onClick={() => at !== undefined && playback.go(at + 1, frames().length)}
            title="One step forward"
            aria-label="One step forward"
          >
            ▶
          </button>
          <button
            type="button"
            data-testid="derivation-play"
            onClick={() =>
              playback.playing
                ? playback.pause()
                : at !== undefined
                  ? playback.resume()
                  : playback.play(frames().length)
            }
            title="Replay the derivation step by step (the cell stays as it is)"
          >
            {playback.playing ? 'Pause' : at !== undefined ? 'Continue' : 'Play derivation'}
          </button>
          <span className="muted small" data-testid="derivation-caption" aria-live="polite">
            {frame && count !== undefined
              ? `${at! + 1} of ${count}: ${frame.caption}`
              : `${cell.steps.length} step${cell.steps.length === 1 ? '' : 's'}; showing the result`}
          </span>
        </div>
      )}
    </>
  );
}

/**
 * The playback belongs to the cell object and the term shown: an edit (a new cell object)
 * or another term shows the cell's diagram again.
 */
const keys = new WeakMap<DiagramCell, Map<string, object>>();
function cellKey(cell: DiagramCell, term: string): object {
  let byTerm = keys.get(cell);
  if (!byTerm) keys.set(cell, (byTerm = new Map()));
  let key = byTerm.get(term);
  if (!key) byTerm.set(term, (key = {}));
  return key;
}
