import LZString from 'lz-string';
import { errorMessage, fail } from '../errors.ts';
import { quoteCharacter } from '../quoteText.ts';
import { withoutResults } from '../notebook/document.ts';
import { CURRENT_FORMAT, readDocument, type DocumentFormat } from '../notebook/format.ts';
import { parseJson } from '../notebook/io.ts';
import {
  DOCUMENT_VERSION,
  describeIssue,
  type DiagramCell,
  type NotebookDocument,
} from '../notebook/schema.ts';
import { shareRoute } from './route.ts';

/**
 * Share links `#/s/<payload>`: a whole notebook (or one diagram, as a one-cell notebook)
 * in the URL.
 *
 * payload = '1' (the envelope scheme) + 6-character checksum + LZString's
 *           compressToEncodedURIComponent(JSON of the document)
 *
 * The document inside carries its format version (`version`); decoding migrates older
 * versions (notebook/format.ts) and validates with the zod schema. The checksum (FNV-1a,
 * 32 bits, over the compressed text) rejects a truncated or edited link before any
 * decompression. Every limit is checked before the work it guards:
 *   payload length → checksum → decompress (bounded by the payload length) →
 *   decompressed length → JSON.parse → cell count → schema (strings, lists, shapes,
 *   tensor counts and sizes).
 * Decoding never throws: a bad link gives { ok: false, error } with one line.
 */

export const SHARE_LIMITS = {
  /**
   * Characters of a payload. The compressed format can expand quadratically (a link of
   * 12 000 characters decompresses to at most ~20 M characters, ~50 ms), so this bounds
   * the work of decompressing too.
   */
  maxPayloadLength: 12_000,
  /** Characters of the decompressed JSON. */
  maxJsonLength: 262_144,
} as const;

export type ShareLimits = { -readonly [K in keyof typeof SHARE_LIMITS]: number };

/** The envelope scheme: the first character of every payload this version writes. */
export const SHARE_SCHEME = '1';
const CHECKSUM_LENGTH = 6;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const PAYLOAD_CHARS = /^[A-Za-z0-9+\-$]*$/;

/** FNV-1a (32 bits) of the UTF-16 code units, as 6 characters of the payload alphabet. */
export function checksum(text: string): string {
  let h = 0x811c9dc5;
  for (let j = 0; j < text.length; j++) {
    h ^= text.charCodeAt(j);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let out = '';
  for (let j = 0; j < CHECKSUM_LENGTH; j++) {
    out += ALPHABET[h & 63];
    h = Math.floor(h / 64);
  }
  return out;
}

export interface ShareOptions {
  /** Keep the run cells' last results (default false: whoever opens the link runs them). */
  includeResults?: boolean;
}

export type DecodeResult<Doc = NotebookDocument> =
  | {
      ok: true;
      doc: Doc;
      /** Format version of the link, when older than this einsketch's. */ migratedFrom?: number;
    }
  | { ok: false; error: string };

export interface ShareCodec<Doc = NotebookDocument> {
  encode(doc: Doc, options?: ShareOptions): string;
  decode(payload: string): DecodeResult<Doc>;
}

function dropResults<Doc>(doc: Doc): Doc {
  const d = doc as unknown as NotebookDocument;
  return (Array.isArray(d.cells) ? withoutResults(d) : doc) as Doc;
}

/** A codec for a document format (the current one by default; tests pass a future one). */
export function createShareCodec<Doc = NotebookDocument>(
  format: DocumentFormat<Doc> = CURRENT_FORMAT as unknown as DocumentFormat<Doc>,
  limits: ShareLimits = SHARE_LIMITS,
): ShareCodec<Doc> {
  const bad = (error: string): DecodeResult<Doc> => ({
    ok: false,
    error: `cannot open this link: ${error}`,
  });

  return {
    encode(doc, options = {}) {
      const checked = format.schema.safeParse(doc);
      if (!checked.success)
        fail(`cannot share an invalid notebook: ${describeIssue(checked.error.issues[0])}`);
      const value = options.includeResults ? checked.data : dropResults(checked.data);
      const compressed = LZString.compressToEncodedURIComponent(JSON.stringify(value));
      const payload = `${SHARE_SCHEME}${checksum(compressed)}${compressed}`;
      if (payload.length > limits.maxPayloadLength) {
        fail(
          `the notebook is too large for a link (${payload.length} characters; the limit is ${limits.maxPayloadLength}): export it as a file instead`,
        );
      }
      return payload;
    },

    decode(input) {
      try {
        if (typeof input !== 'string') return bad('the link holds no text');
        let payload = input.trim();
        if (payload.length > limits.maxPayloadLength * 3) {
          return bad(
            `the link is too long (${payload.length} characters; the limit is ${limits.maxPayloadLength})`,
          );
        }
        // A link that passed through a mail or chat program may come percent-encoded.
        if (payload.includes('%')) {
          try {
            payload = decodeURIComponent(payload);
          } catch {
            return bad('the link contains a broken %-escape');
          }
        }
        // lz-string writes '+', which some programs turn into a space.
        payload = payload.replace(/ /g, '+');
        if (payload.length === 0) return bad('the link is empty');
        if (payload.length > limits.maxPayloadLength) {
          return bad(
            `the link is too long (${payload.length} characters; the limit is ${limits.maxPayloadLength})`,
          );
        }
        if (!PAYLOAD_CHARS.test(payload)) {
          const at = payload.search(/[^A-Za-z0-9+\-$]/);
          return bad(
            `the link contains a character that share links never have (${quoteCharacter(String.fromCodePoint(payload.codePointAt(at)!))} at position ${at + 1})`,
          );
        }
        if (payload[0] !== SHARE_SCHEME) {
          return bad(
            `unknown link format '${payload[0]}' (this einsketch reads format ${SHARE_SCHEME}): was it made by a newer einsketch?`,
          );
        }
        if (payload.length <= 1 + CHECKSUM_LENGTH) return bad('the link is cut short');
        const sum = payload.slice(1, 1 + CHECKSUM_LENGTH);
        const compressed = payload.slice(1 + CHECKSUM_LENGTH);
        if (checksum(compressed) !== sum) {
          return bad(
            'the link is damaged (its checksum does not match): it was cut short or edited; copy it again',
          );
        }
        let json: string | null;
        try {
          json = LZString.decompressFromEncodedURIComponent(compressed);
        } catch {
          json = null;
        }
        if (!json) return bad('the link is damaged: its content cannot be decompressed');
        if (json.length > limits.maxJsonLength) {
          return bad(
            `the notebook in the link is too large (${json.length} characters; the limit is ${limits.maxJsonLength})`,
          );
        }
        const parsed = parseJson(json);
        if (!parsed.ok)
          return bad(`the link is damaged: its content is not valid JSON (${parsed.error})`);
        const read = readDocument(parsed.value, format);
        return read.ok ? read : bad(read.error);
      } catch (err) {
        return bad(errorMessage(err));
      }
    },
  };
}

const codec = createShareCodec();

/** The payload of a link to the whole notebook (run results left out unless asked). */
export function encodeShare(doc: NotebookDocument, options?: ShareOptions): string {
  return codec.encode(doc, options);
}

/** The payload of a link to one diagram: a notebook holding only that cell. */
export function encodeDiagramShare(
  cell: DiagramCell,
  title = cell.title ?? 'Shared diagram',
): string {
  return codec.encode({ version: DOCUMENT_VERSION, title, cells: [cell] });
}

/** Reads a payload (or a whole `#/s/…` hash). Never throws. */
export function decodeShare(payload: string): DecodeResult {
  return codec.decode(typeof payload === 'string' ? payload.replace(/^.*#\/s\//s, '') : payload);
}

/** The hash to put after the app's address: `#/s/<payload>`. */
export function shareHash(doc: NotebookDocument, options?: ShareOptions): string {
  return shareRoute(encodeShare(doc, options));
}
