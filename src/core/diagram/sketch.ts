import type { RuleName } from '../rewrite/index.ts';
import { diagramCell } from '../notebook/document.ts';
import { NOTEBOOK_LIMITS } from '../notebook/notebookLimits.ts';
import type { DiagramCell, DiagramView, Step } from '../notebook/schema.ts';

/**
 * A diagram: where the network comes from (a preset with its hyper-parameters, an einsum,
 * or a drawn network) and the steps applied to it since, in the vocabulary of the notebook
 * format (schema.ts). The editor edits it, a notebook cell stores it, a share link carries
 * it, and both build it with the core's buildDiagram.
 */
export type Diagram = Pick<DiagramCell, 'source' | 'steps'>;

export interface Point {
  x: number;
  y: number;
}

/**
 * The editor's work: a diagram and what the editor keeps beside it that a step does not
 * say: where the user moved nodes (by diagram node id, top-left corner) and which rewrite
 * rules the next simplification leaves out. Keeping the steps rather than only their
 * result is what lets a hyper-parameter edit re-derive a VJP and re-run the simplifier.
 */
export interface Sketch {
  diagram: Diagram;
  positions: Record<string, Point>;
  disabledRules: RuleName[];
}

/** The rules the diagram's last simplification leaves out (the editor's switches). */
function rulesOf(steps: readonly Step[]): RuleName[] {
  const last = [...steps].reverse().find((s) => s.kind === 'simplify');
  return last?.kind === 'simplify' ? [...(last.disabled ?? [])] : [];
}

/** What the editor shows of a diagram cell. */
export function sketchOfCell(cell: DiagramCell): Sketch {
  const manual = cell.view.layout === 'manual' && cell.view.positions;
  return {
    diagram: { source: structuredClone(cell.source), steps: structuredClone(cell.steps) },
    positions: manual ? structuredClone(cell.view.positions!) : {},
    disabledRules: rulesOf(cell.steps),
  };
}

const DEFAULT_VIEW: DiagramView = {
  style: 'named',
  layout: 'auto',
  showSizes: true,
  showFormula: true,
  showSteps: true,
};

/**
 * A diagram cell holding the sketch. `base` (the cell being edited) keeps its id, title
 * and view settings. Throws an EinsketchError when the result is not a valid cell.
 */
export function cellOfSketch(sketch: Sketch, id: string, base?: DiagramCell): DiagramCell {
  const entries = Object.entries(sketch.positions).slice(0, NOTEBOOK_LIMITS.maxPositions);
  const { positions: _old, ...view } = base?.view ?? DEFAULT_VIEW;
  void _old;
  return diagramCell(id, sketch.diagram.source, {
    ...(base?.title !== undefined ? { title: base.title } : {}),
    steps: sketch.diagram.steps,
    view: {
      ...view,
      layout: entries.length > 0 ? 'manual' : 'auto',
      ...(entries.length > 0 ? { positions: Object.fromEntries(entries) } : {}),
    },
  });
}
