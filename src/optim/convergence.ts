/**
 * Breeze's `FirstOrderMinimizer.defaultConvergenceCheck(maxIter, tol)` with the settings Spark
 * gets by constructing `LBFGS(maxIter, m, tol)`: relative tolerances and a 20-value memory.
 * The tests, in Breeze's order:
 *  1. iterations ≥ maxIter;
 *  2. function values: |f − max(last `fvalMemory` values)| ≤ tol·|f₀|. The memory starts as
 *     [+∞], so this can only fire once `fvalMemory` iterations have been recorded — as in Spark;
 *  3. gradient: ‖g‖ ≤ max(tol·|f|, 1e-8);
 *  4. the line search failed twice in a row.
 */

export const REASON = {
  maxIter: 'max iterations reached',
  functionValues: 'function values converged',
  gradient: 'gradient converged',
  searchFailed: 'line search failed',
  projectedStep: 'projected step converged',
} as const;

/** Reasons that mean a tolerance was met rather than the run being cut short. */
const CONVERGED_REASONS: ReadonlySet<string> = new Set([
  REASON.functionValues,
  REASON.gradient,
  REASON.projectedStep,
]);

export function isConvergedReason(reason: string): boolean {
  return CONVERGED_REASONS.has(reason);
}

export class ConvergenceCheck {
  private readonly fvals: number[] = [Number.POSITIVE_INFINITY];

  constructor(
    private readonly maxIter: number,
    private readonly tol: number,
    private readonly fvalMemory: number,
    private readonly initialValue: number,
  ) {}

  /** Records the objective after a completed iteration (Breeze's `update`). */
  record(value: number): void {
    this.fvals.push(value);
    if (this.fvals.length > this.fvalMemory) this.fvals.shift();
  }

  /** The reason to stop, or undefined to go on. */
  check(iter: number, value: number, gradNorm: number, searchFailed: boolean): string | undefined {
    if (iter >= this.maxIter) return REASON.maxIter;
    if (this.fvals.length >= 2) {
      const worst = Math.max(...this.fvals);
      if (Math.abs(value - worst) <= this.tol * Math.abs(this.initialValue)) return REASON.functionValues;
    }
    if (gradNorm <= Math.max(this.tol * Math.abs(value), 1e-8)) return REASON.gradient;
    if (searchFailed) return REASON.searchFailed;
    return undefined;
  }
}
