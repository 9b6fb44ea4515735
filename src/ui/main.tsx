import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { startSession } from './editor/store/session.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The saved work is restored before the first render, so the editor never flashes the default.
startSession();

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
