export {
  SHARE_LIMITS,
  SHARE_SCHEME,
  checksum,
  createShareCodec,
  decodeShare,
  encodeDiagramShare,
  encodeShare,
  shareHash,
  type DecodeResult,
  type ShareCodec,
  type ShareLimits,
  type ShareOptions,
} from './links.ts';
export { isSlug, parseRoute, shareRoute, tutorialRoute, SLUG, type Route } from './route.ts';
export { isSafeLinkHref, safeLinkHref } from './url.ts';
