/**
 * Shared types of the driver-side optimizers. An objective is evaluated once per call, and one
 * call is one distributed pass over the data, so every optimizer here counts and minimises calls.
 */

/** The value and gradient of a differentiable objective at `x`. */
export interface LossAndGradient {
  loss: number;
  grad: Float64Array;
}

/** A differentiable objective. Must not keep or mutate `x`: the optimizer owns it. */
export type DiffFunction = (x: Float64Array) => Promise<LossAndGradient>;

/** What `onIteration` hears after each completed iteration. */
export interface IterationInfo {
  /** 1-based number of the iteration just completed. */
  iteration: number;
  /** Objective after the iteration (with the L1 penalty for OWL-QN). */
  loss: number;
  /** Euclidean norm of the (pseudo-, for OWL-QN) gradient after the iteration. */
  gradNorm: number;
  /** Accepted line-search step length. */
  stepSize: number;
  /** Objective calls so far. */
  evaluations: number;
  /** The new point. Read it, never write it: the optimizer keeps using it. */
  x: Float64Array;
}

/** Options shared by L-BFGS, OWL-QN and L-BFGS-B. Defaults are Spark's. */
export interface FirstOrderOptions {
  /** Iteration limit (Spark `maxIter`, default 100). 0 evaluates `x0` and returns it. */
  maxIter?: number;
  /** Number of correction pairs kept (Spark passes 10). */
  m?: number;
  /** Convergence tolerance (Spark `tol`, default 1e-6); see `ConvergenceCheck`. */
  tol?: number;
  /** How many recent objective values the function-values test looks back over (Breeze: 20). */
  fvalMemory?: number;
  /** Called after every completed iteration, awaited if it returns a promise. */
  onIteration?: (info: IterationInfo) => void | Promise<void>;
}

export interface OptimResult {
  x: Float64Array;
  /** Objective at `x` (with the L1 penalty for OWL-QN). */
  loss: number;
  /** Completed iterations (line searches that moved `x`). */
  iterations: number;
  /** Objective at the start, then after each iteration: length `iterations + 1`, as Spark's. */
  objectiveHistory: number[];
  /** True when a tolerance test stopped the run, false for the iteration limit or a failed search. */
  converged: boolean;
  /** Breeze's wording: 'gradient converged', 'function values converged', 'max iterations reached', … */
  reason: string;
  /** Objective calls made, the initial one included. */
  evaluations: number;
}
