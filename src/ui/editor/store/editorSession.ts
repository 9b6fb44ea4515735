import { defaultDoc } from '../model/doc.ts';
import { deserialize, serialize, STORAGE_KEY } from '../model/persist.ts';
import { resetTo, useEditor } from './editorStore.ts';
import { resetHandPath, select, showHint, useUi } from './uiStore.ts';

/**
 * Connects the stores to the browser: restores the saved work (a first visit gets the
 * default preset and the hint), saves every change, and clears view state that refers to a
 * network that is gone.
 */
export function startSession(storage: Storage | undefined = globalThis.localStorage): () => void {
  let text: string | null = null;
  let readError: string | undefined;
  try {
    text = storage?.getItem(STORAGE_KEY) ?? null;
  } catch (err) {
    readError = err instanceof Error ? err.message : String(err);
  }
  const restored = deserialize(text);
  if (restored.kind === 'ok') {
    resetTo(restored.doc);
  } else {
    resetTo(
      defaultDoc(),
      restored.kind === 'corrupt' || readError
        ? {
            kind: 'error',
            text: `Saved work could not be restored (${readError ?? (restored.kind === 'corrupt' ? restored.reason : '')}); started fresh.`,
          }
        : undefined,
    );
    showHint(restored.kind === 'empty' && !readError);
  }

  const save = () => {
    try {
      storage?.setItem(STORAGE_KEY, serialize(useEditor.getState().doc));
    } catch (_err) {
      // Storage full or disabled: the work stays in memory and the editor keeps working.
    }
  };
  const unsubscribeDoc = useEditor.subscribe((state, prev) => {
    if (state.doc !== prev.doc) save();
    if (state.derived.network !== prev.derived.network) {
      resetHandPath();
      const selection = useUi.getState().selection;
      const net = state.derived.network;
      if (selection?.kind === 'tensor' && !net.tensors.some((t) => t.id === selection.id))
        select(null);
      if (selection?.kind === 'index' && net.sizes[selection.index] === undefined) select(null);
    }
  });
  return unsubscribeDoc;
}
