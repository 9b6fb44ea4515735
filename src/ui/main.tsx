import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { startSession } from './editor/store/editorSession.ts';
import { startNotebookSession } from './notebook/store/notebookSession.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The saved work is restored before the first render, so the editor never flashes the default.
startSession();
// Then the notebook, the cell being edited (if any) and what the address asks for (a share
// link, a tutorial), before the first render for the same reason.
startNotebookSession();

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
