export {
  escapeHtml,
  markdown,
  renderMarkdown,
  renderTex,
  MAX_TEX_LENGTH,
  type MathMode,
  type RenderOptions,
} from './markdown.ts';
export { parseTutorial, MAX_TUTORIAL_LENGTH, type Tutorial, type TutorialResult } from './parse.ts';
export {
  slugFromPath,
  tutorialIndex,
  TUTORIAL_SLUGS,
  type TutorialInfo,
  type TutorialSlug,
} from './catalog.ts';
