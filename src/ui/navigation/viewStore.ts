import { create } from 'zustand';

/**
 * Which top-level view the app shows besides its routes: the benchmark view is a view
 * switch, not a route, so it needs no link format; following any link returns to the
 * routed views.
 */
export type View = 'main' | 'bench';

export const useView = create<{ view: View }>()(() => ({ view: 'main' }));

export function showView(view: View): void {
  useView.setState({ view });
}

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => showView('main'));
}
