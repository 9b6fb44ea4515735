import { BackendStatus } from './BackendStatus.tsx';
import { BenchHost } from './bench/BenchHost.tsx';
import { BenchNavButton } from './navigation/BenchButtons.tsx';
import { RunPanel } from './run/components/RunPanel.tsx';
import { Editor } from './editor/components/Editor.tsx';
import { EditorBar } from './notebook/components/EditorBar.tsx';
import { MyNotebookPage, StartPage, TutorialPage } from './notebook/components/Pages.tsx';
import {
  EDITOR_HASH,
  NOTEBOOK_HASH,
  START_HASH,
  useRoute,
  type AppRoute,
} from './navigation/routing.ts';

function View({ route }: { route: AppRoute }) {
  switch (route.kind) {
    case 'editor':
      return (
        <div className="workspace">
          <EditorBar />
          <div className="workspace-editor">
            <Editor runPanel={<RunPanel />} />
          </div>
        </div>
      );
    case 'start':
      return <StartPage />;
    case 'invalid':
      return <StartPage error={`This address does not open anything: ${route.error}.`} />;
    case 'tutorial':
      return <TutorialPage slug={route.slug} />;
    // A share link shows the user's notebook with the link's outcome (opened, offered, or
    // an error that leaves the notebook as it was).
    case 'share':
    case 'notebook':
      return <MyNotebookPage />;
  }
}

const NAV = [
  { hash: START_HASH, label: 'Start', kinds: ['start', 'invalid', 'tutorial'] },
  { hash: EDITOR_HASH, label: 'Editor', kinds: ['editor'] },
  { hash: NOTEBOOK_HASH, label: 'Notebook', kinds: ['notebook', 'share'] },
];

export function App() {
  const route = useRoute();
  return (
    <div className="app">
      <header className="app-header">
        <h1>einsketch</h1>
        <span className="tagline">tensor networks of convolutions</span>
        <nav className="app-nav" aria-label="Views">
          {NAV.map((n) => (
            <a
              key={n.hash}
              href={n.hash}
              data-testid={`nav-${n.label.toLowerCase()}`}
              aria-current={n.kinds.includes(route.kind) ? 'page' : undefined}
            >
              {n.label}
            </a>
          ))}
          <BenchNavButton />
        </nav>
        <div className="app-header-status">
          <BackendStatus />
        </div>
      </header>
      <main className="app-main">
        <View route={route} />
      </main>
      <BenchHost />
    </div>
  );
}
