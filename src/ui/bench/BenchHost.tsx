import { useEffect } from 'react';
import { createPortal } from 'react-dom';
import { showView, useView } from '../navigation/viewStore.ts';
import { BenchView } from './BenchView.tsx';

/**
 * Shows the benchmark view over the whole app while the view switch says so. It is an
 * overlay rather than a route, so whatever is open underneath (the editor, its run
 * results) is still there when it closes; Escape or Back closes it.
 */
export function BenchHost() {
  const open = useView((s) => s.view === 'bench');
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') showView('main');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  if (!open) return null;
  return createPortal(
    <div className="bench-overlay" role="dialog" aria-modal="true" aria-label="Benchmark">
      <BenchView />
    </div>,
    document.body,
  );
}
