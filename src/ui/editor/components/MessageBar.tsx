import { showMessage, useEditor } from '../store/editorStore.ts';

/** The last error or notice of an action that did not go through. */
export function MessageBar() {
  const message = useEditor((s) => s.message);
  if (!message) return null;
  return (
    <div
      className={`message message-${message.kind}`}
      data-testid={message.kind === 'error' ? 'error' : 'info'}
      role={message.kind === 'error' ? 'alert' : 'status'}
    >
      <span>{message.text}</span>
      <button
        type="button"
        className="link"
        onClick={() => showMessage(undefined)}
        aria-label="Dismiss"
      >
        ×
      </button>
    </div>
  );
}
