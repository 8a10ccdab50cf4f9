/**
 * Errors of model loading and saving: each names the path and the problem. The name stays `Error`
 * (messages read `Error: <path>: <problem>`); test with `instanceof ModelPersistenceError`.
 */

export class ModelPersistenceError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${problem}`, options);
  }
}

/** Wraps any failure so that the message starts with the path; keeps the original as `cause`. */
export function atPath(path: string, what: string, error: unknown): ModelPersistenceError {
  if (error instanceof ModelPersistenceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ModelPersistenceError(path, `${what}: ${message}`, { cause: error });
}
