import { diagramChecks } from '../../../core/check/diagramChecks.ts';
import { subjectOfNetwork } from '../../../core/export/index.ts';
import { encodeDiagramShare } from '../../../core/share/index.ts';
import type { DiagramCell } from '../../../core/notebook/index.ts';
import { useEditor } from '../../editor/store/editorStore.ts';
import type { ExportTarget } from '../../export/formats.ts';
import { useEditing } from '../store/editing.ts';
import { cellOfSketch } from '../../../core/diagram/sketch.ts';
import { cellTitle, diagramModel } from './diagramModel.ts';
import { getPreset } from '../../../core/diagram/presets.ts';

/**
 * The editor's current diagram as the notebook format sees it: what the share button above
 * the editor encodes (the core's diagram link, like a diagram cell's) and what its export
 * menu exports.
 */

/** The editor's diagram as a notebook cell. */
export function editorCell(): DiagramCell {
  const session = useEditing.getState().session;
  const { doc } = useEditor.getState();
  const cell = cellOfSketch(doc, session?.cellId ?? 'diagram-1', session?.cell);
  const source = doc.diagram.source;
  if (session || source.kind !== 'preset') return cell;
  // The editor's own diagram has no title; the preset's name is the best one.
  const title = source.presetId && getPreset(source.presetId)?.title;
  return title ? { ...cell, title } : cell;
}

export function editorTarget(): ExportTarget {
  const { doc, derived } = useEditor.getState();
  const title = (() => {
    const s = useEditing.getState().session;
    if (s) return cellTitle(s.cell);
    const source = doc.diagram.source;
    return source.kind === 'preset' ? (source.presetId ?? source.op) : 'diagram';
  })();
  try {
    const cell = editorCell();
    const model = diagramModel(cell);
    if (model.ok) {
      return {
        subject: { ...model.subject, title },
        network: derived.network,
        positions: doc.positions,
        title,
        checks: () => diagramChecks(cell),
      };
    }
  } catch (_err) {
    // A network the notebook format cannot hold still exports as the network on screen.
  }
  return {
    subject: subjectOfNetwork(derived.network, { title }),
    network: derived.network,
    positions: doc.positions,
    title,
  };
}

/** The payload of a link to the editor's diagram. */
export function editorSharePayload(): string {
  const cell = editorCell();
  return encodeDiagramShare(cell, cellTitle(cell));
}
