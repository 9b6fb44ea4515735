import { errorMessage } from '../../../core/errors.ts';
import { freshCellId } from '../../../core/notebook/index.ts';
import { tutorialRoute } from '../../../core/share/index.ts';
import { useEditor } from '../../editor/store/editorStore.ts';
import { ExportMenu } from '../../export/ExportMenu.tsx';
import { ShareButton } from '../../share/ShareButton.tsx';
import { cellOfSketch } from '../../../core/diagram/sketch.ts';
import { cellTitle } from '../model/diagramModel.ts';
import { editorSharePayload, editorTarget } from '../model/editorShare.ts';
import { navigate, NOTEBOOK_HASH } from '../../navigation/routing.ts';
import { finishEditing, useEditing, type FinishChoice } from '../store/editing.ts';
import { edit, showMessage, useNotebook } from '../store/notebookStore.ts';
import { loadTutorial } from '../tutorials.ts';
import './notebook.css';

function leave(choice: FinishChoice) {
  const scope = finishEditing(choice);
  if (!scope) return;
  navigate(scope.kind === 'mine' ? NOTEBOOK_HASH : tutorialRoute(scope.slug));
}

/** While a notebook or tutorial diagram is open in the editor: how to get back. */
function EditingBanner() {
  const session = useEditing((s) => s.session);
  if (!session) return null;
  const name = cellTitle(session.cell);
  if (session.scope.kind === 'tutorial') {
    const tutorial = loadTutorial(session.scope.slug);
    const from = tutorial?.ok ? tutorial.title : session.scope.slug;
    return (
      <div className="editing-banner" data-testid="editing-banner" role="status">
        <span>
          Exploring “{name}” from the tutorial <em>{from}</em>; your own editor work is set aside.
        </span>
        <button type="button" data-testid="discard-edit" onClick={() => leave('discard')}>
          Back to the tutorial
        </button>
        <button
          type="button"
          data-testid="keep-in-editor"
          onClick={() => leave('keep')}
          title="This diagram stays in the editor as your work (your set-aside work is dropped)"
        >
          Keep it in the editor
        </button>
      </div>
    );
  }
  return (
    <div className="editing-banner" data-testid="editing-banner" role="status">
      <span>
        Editing “{name}” from your notebook; your own editor work is set aside until you are done.
      </span>
      <button type="button" data-testid="save-to-notebook" onClick={() => leave('save')}>
        Save to the notebook
      </button>
      <button type="button" data-testid="discard-edit" onClick={() => leave('discard')}>
        Discard changes
      </button>
    </div>
  );
}

function AddToNotebook() {
  const add = () => {
    const doc = useNotebook.getState().history.present;
    try {
      const cell = cellOfSketch(useEditor.getState().doc, freshCellId(doc, 'diagram'));
      if (edit({ type: 'add', cell }))
        showMessage({ kind: 'info', text: `Added the editor's diagram as '${cell.id}'.` });
    } catch (err) {
      showMessage({ kind: 'error', text: `Cannot add this diagram: ${errorMessage(err)}` });
    }
    // The notebook shows the new cell, or why it could not be added.
    navigate(NOTEBOOK_HASH);
  };
  return (
    <button
      type="button"
      data-testid="add-to-notebook"
      onClick={add}
      title="Add this diagram to your notebook as a new cell"
    >
      Add to notebook
    </button>
  );
}

/** Above the editor: share and export the diagram, send it to the notebook. */
export function EditorBar() {
  const editing = useEditing((s) => s.session !== undefined);
  return (
    <div className="editor-bar">
      <EditingBanner />
      <span className="editor-bar-actions">
        {!editing && <AddToNotebook />}
        <ShareButton payload={editorSharePayload} title="A link that opens this diagram" />
        <ExportMenu target={editorTarget} />
      </span>
    </div>
  );
}
