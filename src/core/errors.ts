/**
 * Every problem a user can cause (a bad request, a malformed equation, inconsistent
 * hyper-parameters) is reported as an EinsketchError whose message is one line that names
 * the problem, so the CLI and the UI can show it verbatim.
 */
export class EinsketchError extends Error {
  override readonly name = 'EinsketchError';
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' '));
  }
}

export function fail(message: string): never {
  throw new EinsketchError(message);
}

/** One-line message for any thrown value; internal errors are labelled as such. */
export function errorMessage(err: unknown): string {
  if (err instanceof EinsketchError) return err.message;
  if (err instanceof Error) return `internal error: ${err.message}`.replace(/\s*\n\s*/g, ' ');
  return `internal error: ${String(err)}`;
}
