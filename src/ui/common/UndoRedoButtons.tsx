/** The undo/redo pair of a toolbar; `testIdPrefix` keeps the editor's and notebook's apart. */
export function UndoRedoButtons(props: {
  undo: () => void;
  redo: () => void;
  canUndo: boolean;
  canRedo: boolean;
  testIdPrefix?: string;
  redoKeys?: string;
}) {
  const prefix = props.testIdPrefix ?? '';
  return (
    <>
      <button
        type="button"
        data-testid={`${prefix}undo`}
        onClick={props.undo}
        disabled={!props.canUndo}
        title="Undo (Ctrl+Z)"
      >
        ↶ Undo
      </button>
      <button
        type="button"
        data-testid={`${prefix}redo`}
        onClick={props.redo}
        disabled={!props.canRedo}
        title={`Redo (${props.redoKeys ?? 'Ctrl+Shift+Z'})`}
      >
        ↷ Redo
      </button>
    </>
  );
}
