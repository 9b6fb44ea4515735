/**
 * A reader that stops early (`einsketch run big.json | head -c 50`) closes the pipe; the
 * next write then fails with EPIPE, which Node raises as an unhandled 'error' event and a
 * stack trace. Unix tools are ended by SIGPIPE there, silently, with status 128 + 13 = 141;
 * so does the CLI. Other write errors are reported in one line.
 */
export const SIGPIPE_STATUS = 141;

export function endQuietlyOnClosedPipe(
  stream: NodeJS.WriteStream,
  exit: (code: number) => never = process.exit,
): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') exit(SIGPIPE_STATUS);
    // stderr may be the broken stream; a message there could raise again.
    if (stream !== process.stderr)
      process.stderr.write(`einsketch: cannot write output: ${err.code ?? err.message}\n`);
    exit(1);
  });
}
