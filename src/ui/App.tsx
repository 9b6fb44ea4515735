import { BackendStatus } from './BackendStatus.tsx';
import { Editor } from './editor/components/Editor.tsx';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>einsketch</h1>
        <span className="tagline">tensor networks of convolutions</span>
        <div className="app-header-status">
          <BackendStatus />
        </div>
      </header>
      <main className="app-main">
        <Editor />
      </main>
    </div>
  );
}
