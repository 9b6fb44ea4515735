import {
  parseTutorial,
  slugFromPath,
  tutorialIndex,
  type TutorialInfo,
  type TutorialResult,
} from '../../core/tutorial/index.ts';

/**
 * The tutorials shipped with the app: tutorials/*.md, bundled as text by Vite and parsed
 * by the core on first use (a tutorial that does not parse shows its error instead).
 */
const files = import.meta.glob('/tutorials/*.md', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

export const TUTORIAL_SOURCES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(files).flatMap(([path, text]) => {
    const slug = slugFromPath(path);
    return slug ? [[slug, text]] : [];
  }),
);

let index: TutorialInfo[] | undefined;

/** The start page's list, in reading order. */
export function tutorialList(): TutorialInfo[] {
  index ??= tutorialIndex(TUTORIAL_SOURCES);
  return index;
}

const parsed = new Map<string, TutorialResult>();

/** The tutorial `slug` as a notebook, or null when there is no such tutorial. */
export function loadTutorial(slug: string): TutorialResult | null {
  const text = TUTORIAL_SOURCES[slug];
  if (text === undefined) return null;
  let result = parsed.get(slug);
  if (!result) {
    result = parseTutorial(text, { slug });
    parsed.set(slug, result);
  }
  return result;
}
