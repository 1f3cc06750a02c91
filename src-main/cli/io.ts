/**
 * The CLI's output channel. Commands write through this instead of console so that
 * tests can run a command in-process and read exactly what a user would see.
 * Contract (DESIGN §5): the result is the last line of stdout; bad input returns exit
 * code 2 with a message on stderr naming the offending part.
 */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

export type CliCommand = (args: string[], io: CliIO) => Promise<number>;

/** An error that the CLI reports as "bad input" (exit 2) with its message. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function memoryIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}
