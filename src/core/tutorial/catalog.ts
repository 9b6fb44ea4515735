import { isSlug } from '../share/route.ts';
import { parseTutorial } from './parse.ts';

/**
 * The tutorials in reading order. The app loads tutorials/<slug>.md (e.g. with Vite's
 * import.meta.glob('/tutorials/*.md', { query: '?raw', import: 'default', eager: true }))
 * and lists them with tutorialIndex.
 */
export const TUTORIAL_SLUGS = [
  'convolution-as-tensor-network',
  'differentiation',
  'simplification-rules',
  'kfc-vs-kfac-reduce',
  'tensor-dropout',
  'randomised-backpropagation',
  'per-example-gradients',
  'curvature-of-a-convolution',
] as const;

export type TutorialSlug = (typeof TUTORIAL_SLUGS)[number];

export interface TutorialInfo {
  slug: string;
  title: string;
  summary: string;
  /** Set when the file does not parse (the start page shows it instead of a link). */
  error?: string;
}

/** 'tutorials/differentiation.md' or '/tutorials/differentiation.md' → 'differentiation'. */
export function slugFromPath(path: string): string | null {
  const m = /(?:^|\/)tutorials\/([^/]+)\.md$/.exec(path);
  return m && isSlug(m[1]) ? m[1] : null;
}

/** The start page's list: known tutorials in reading order, then any others by slug. */
export function tutorialIndex(sources: Readonly<Record<string, string>>): TutorialInfo[] {
  const known: readonly string[] = TUTORIAL_SLUGS;
  const slugs = [
    ...TUTORIAL_SLUGS.filter((s) => s in sources),
    ...Object.keys(sources)
      .filter((s) => !known.includes(s) && isSlug(s))
      .sort(),
  ];
  return slugs.map((slug) => {
    const t = parseTutorial(sources[slug], { slug });
    return t.ok
      ? { slug, title: t.title, summary: t.summary }
      : { slug, title: slug, summary: '', error: t.error };
  });
}
