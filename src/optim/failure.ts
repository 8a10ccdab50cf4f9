/**
 * Breeze's `FirstOrderException`: a step could not be taken (bad curvature history, line search
 * gave up). The driver answers the first one by dropping the quasi-Newton history and the second
 * in a row by stopping with 'line search failed'. Any other error propagates to the caller.
 */
export class SearchFailure extends Error {
  /** True when the search failed only because every trial point gave a NaN or infinite value. */
  readonly nonFinite: boolean;

  constructor(message: string, nonFinite = false) {
    super(message);
    this.name = 'SearchFailure';
    this.nonFinite = nonFinite;
  }
}
