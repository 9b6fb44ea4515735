import { useEffect } from 'react';
import { editNetwork, redo, undo } from '../store/editorStore.ts';
import { select, useUi } from '../store/uiStore.ts';

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y (Cmd on macOS), Delete for the selected tensor, Escape to
 * deselect. Keys typed into a field stay the field's own (its text undo keeps working).
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingInto(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 'z') {
        e.preventDefault();
        if (e.shiftKey) redo();
        else undo();
      } else if (mod && key === 'y') {
        e.preventDefault();
        redo();
      } else if (key === 'delete' || key === 'backspace') {
        const selection = useUi.getState().selection;
        if (selection?.kind === 'tensor' && editNetwork({ op: 'removeTensor', id: selection.id }))
          select(null);
      } else if (key === 'escape') {
        select(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
