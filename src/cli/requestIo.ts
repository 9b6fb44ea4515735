import { readFileSync } from 'node:fs';
import { fail } from '../core/errors.ts';

/** Reads FILE or '-' (stdin) and parses it as JSON, with a one-line error if malformed. */
export function readJson(source: string | undefined): unknown {
  if (!source) fail("missing input: give a JSON file or '-' for standard input");
  let text: string;
  try {
    text = source === '-' ? readFileSync(0, 'utf8') : readFileSync(source, 'utf8');
  } catch (err) {
    fail(
      `cannot read ${source === '-' ? 'standard input' : `'${source}'`}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    fail(
      `malformed JSON in ${source === '-' ? 'standard input' : `'${source}'`}: ${(err as Error).message}`,
    );
  }
}

export interface BatchOutcome {
  output: unknown;
  errors: string[];
}

/**
 * Answers one request or an array of them; a bad element of an array gets {error} and
 * the others are still answered.
 */
export async function answerBatch(
  input: unknown,
  answer: (request: unknown) => Promise<unknown>,
  message: (err: unknown) => string,
): Promise<BatchOutcome> {
  if (!Array.isArray(input)) {
    try {
      return { output: await answer(input), errors: [] };
    } catch (err) {
      return { output: undefined, errors: [message(err)] };
    }
  }
  const errors: string[] = [];
  const output: unknown[] = [];
  for (const [pos, request] of input.entries()) {
    try {
      output.push(await answer(request));
    } catch (err) {
      const text = message(err);
      errors.push(`request ${pos + 1}: ${text}`);
      output.push({ error: text });
    }
  }
  return { output, errors };
}
