import { ReactFlowProvider } from '@xyflow/react';
import type { ReactNode } from 'react';
import { Canvas } from './canvas/Canvas.tsx';
import { Hint } from './Hint.tsx';
import { Inspector } from './inspector/Inspector.tsx';
import { MessageBar } from './MessageBar.tsx';
import { EinsumLoader } from './palette/EinsumLoader.tsx';
import { HyperForm } from './palette/HyperForm.tsx';
import { PresetPicker } from './palette/PresetPicker.tsx';
import { EinsumPanel } from './panels/EinsumPanel.tsx';
import { FormulaPanel } from './panels/FormulaPanel.tsx';
import { PlanPanel } from './panels/PlanPanel.tsx';
import { SimplifyPanel } from './panels/SimplifyPanel.tsx';
import { TermSelector } from './panels/TermSelector.tsx';
import { Toolbar } from './Toolbar.tsx';
import { useShortcuts } from './useShortcuts.ts';
import '../editor.css';

/**
 * The editor: palette on the left, diagram with its einsum and formula in the middle,
 * actions on the right. `runPanel` is the run panel (src/ui/run), handed in by the app: it runs the editor's
 * network and so reads the editor's store; importing it here would make the editor and
 * the run folder depend on each other.
 */
export function Editor({ runPanel }: { runPanel: ReactNode }) {
  useShortcuts();
  return (
    <ReactFlowProvider>
      <div className="editor">
        <aside className="editor-left">
          <PresetPicker />
          <HyperForm />
          <EinsumLoader />
        </aside>
        <section className="editor-center">
          <Hint />
          <MessageBar />
          <Toolbar />
          <Canvas />
          <TermSelector />
          <EinsumPanel />
          <FormulaPanel />
        </section>
        <aside className="editor-right">
          {runPanel}
          <Inspector />
          <SimplifyPanel />
          <PlanPanel />
        </aside>
      </div>
    </ReactFlowProvider>
  );
}
