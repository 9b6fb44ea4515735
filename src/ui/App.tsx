import { BackendStatus } from './BackendStatus.tsx';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>einsketch</h1>
        <span className="tagline">tensor networks of convolutions</span>
      </header>
      <main className="app-main">
        <BackendStatus />
      </main>
    </div>
  );
}
