import { useEffect } from 'react';
import { emptyDocument } from '../../../core/notebook/index.ts';
import { tutorialRoute } from '../../../core/share/index.ts';
import { EDITOR_HASH, navigate, NOTEBOOK_HASH } from '../../navigation/routing.ts';
import {
  MINE,
  mineDoc,
  openTutorialDoc,
  replaceNotebook,
  useNotebook,
} from '../store/notebookStore.ts';
import { loadTutorial, tutorialList } from '../tutorials.ts';
import { Markdown } from './Markdown.tsx';
import { MessageLine, NotebookView, useConfirmReplace } from './NotebookView.tsx';
import './notebook.css';

/** The start page: the editor, the user's notebook or a new one, and the tutorials. */
export function StartPage({ error }: { error?: string }) {
  const mine = useNotebook((s) => s.history.present);
  const { ask, prompt } = useConfirmReplace();
  const tutorials = tutorialList();
  return (
    <div className="start" data-testid="start-page">
      {error && (
        <p className="nb-message nb-message-error" data-testid="error" role="alert">
          {error}
        </p>
      )}
      <MessageLine />
      <section className="start-intro">
        <h2>Convolutions as tensor networks</h2>
        <p>
          Draw the network of a convolution, differentiate it by cutting tensors out, simplify it
          with the convolution-specific rules, read its einsum and formula, and time it on your GPU
          against the built-in — after F. Dangel, <em>Convolutions and More as Einsum</em> (NeurIPS
          2024).
        </p>
        <div className="start-actions">
          <a className="start-card" href={EDITOR_HASH} data-testid="start-editor">
            <strong>Open the editor</strong>
            <span>One diagram, every tool: presets, derivatives, simplification, the plan.</span>
          </a>
          <a className="start-card" href={NOTEBOOK_HASH} data-testid="start-notebook">
            <strong>Your notebook</strong>
            <span>
              {mine.title} · {mine.cells.length} cell{mine.cells.length === 1 ? '' : 's'}
            </span>
          </a>
          <button
            type="button"
            className="start-card"
            data-testid="start-new-notebook"
            onClick={() =>
              ask('A new notebook', () => {
                replaceNotebook(emptyDocument());
                navigate(NOTEBOOK_HASH);
              })
            }
          >
            <strong>New notebook</strong>
            <span>Text, diagrams and runs in one document you can share as a link.</span>
          </button>
        </div>
        {prompt}
      </section>
      <section className="start-tutorials">
        <h2>Tutorials</h2>
        <ol className="tutorial-list">
          {tutorials.map((t) => (
            <li key={t.slug}>
              {t.error ? (
                <>
                  <strong>{t.slug}</strong>
                  <p className="nb-error small">{t.error}</p>
                </>
              ) : (
                <a
                  href={tutorialRoute(t.slug)}
                  className="tutorial-link"
                  data-testid={`tutorial-link-${t.slug}`}
                >
                  <strong>{t.title}</strong>
                  <Markdown text={t.summary} className="markdown tutorial-summary" />
                </a>
              )}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

export function MyNotebookPage() {
  const doc = useNotebook(mineDoc);
  return <NotebookView scope={MINE} doc={doc} />;
}

/** A tutorial as a read-only notebook; its run results last for the visit. */
export function TutorialPage({ slug }: { slug: string }) {
  const stored = useNotebook((s) => s.tutorials[slug]);
  const loaded = loadTutorial(slug);
  const parsed = loaded?.ok ? loaded.doc : undefined;
  // The router stores the tutorial on arrival; this is the safety net for a first render
  // that comes before it (run results and settings need it in the store).
  useEffect(() => {
    if (!stored && parsed) openTutorialDoc(slug, parsed);
  }, [stored, parsed, slug]);
  if (!loaded) {
    return <StartPage error={`There is no tutorial '${slug}'; the tutorials are listed below.`} />;
  }
  if (!loaded.ok) return <StartPage error={`This tutorial cannot be shown: ${loaded.error}`} />;
  return (
    <NotebookView
      scope={{ kind: 'tutorial', slug }}
      doc={stored ?? loaded.doc}
      tutorialTitle={loaded.title}
    />
  );
}
