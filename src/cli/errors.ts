/** An error the command line reports as one line (no stack): bad arguments, missing files, bad input. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** One line for any error: a CliError's message, else the error's own message (never a stack trace). */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!;
}
