/**
 * Text from a user's file or link, made fit to stand in a one-line message: line breaks,
 * control and other invisible characters are written as U+XXXX (a message must stay one
 * line and must not hide what is wrong), and very long text is cut.
 */
export function printableText(text: string, maxLength = 60): string {
  const chars = Array.from(text);
  const shown = chars.length > maxLength ? [...chars.slice(0, maxLength), '…'] : chars;
  return shown.map((c) => (INVISIBLE.test(c) ? codePointName(c) : c)).join('');
}

/** printableText in quotes, as messages quote a name: 'backend'. */
export function quoteText(text: string, maxLength?: number): string {
  return `'${printableText(text, maxLength)}'`;
}

/** One character for a message: quoted when visible, U+XXXX when not. */
export function quoteCharacter(char: string): string {
  return INVISIBLE.test(char) ? codePointName(char) : `'${char}'`;
}

// Controls, format characters, unpaired surrogates, unassigned code points and every
// separator but the plain space.
const INVISIBLE = /^(?:[\p{C}\p{Zl}\p{Zp}]|(?! )\p{Zs})$/u;

function codePointName(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
