// LinearRegressionSummary and LinearRegressionTrainingSummary (Spark's): metrics of a predictions
// DataFrame, computed lazily in one pass the first time a metric is asked for (so `fit` does not pay
// for them, as in Spark) and then kept. A metric needs that pass, so it is an async method:
// `await model.summary.r2()`; what fit knows (objectiveHistory, totalIterations) is a property.
import type { DataFrame } from '../dataframe/dataframe.js';
import { col } from '../dataframe/column.js';
import { logGamma } from '../linalg/random.js';
import { mergeRegressionMoments, REGRESSION_METRICS, zeroRegressionMoments, type RegressionMoments } from './linear-summary.kernels.js';

export interface LinearSummaryModelInfo {
  fitIntercept: boolean;
  coefficients: Float64Array;
  intercept: number;
  weightCol: string | undefined;
}

interface Metrics {
  numInstances: number;
  explainedVariance: number;
  meanAbsoluteError: number;
  meanSquaredError: number;
  rootMeanSquaredError: number;
  r2: number;
  r2adj: number;
  degreesOfFreedom: number;
  devianceResiduals: number[];
  /** Σ w·(y − ŷ)². */
  rss: number;
}

export class LinearRegressionSummary {
  #metrics: Promise<Metrics> | null = null;

  constructor(
    /** The model's output on the evaluated data (features, label, prediction, ...). */
    readonly predictions: DataFrame,
    readonly predictionCol: string,
    readonly labelCol: string,
    readonly featuresCol: string,
    private readonly model: LinearSummaryModelInfo,
    private readonly diagInvAtWA: Float64Array,
  ) {}

  /** label − prediction, in a column named "residuals" (lazy). */
  get residuals(): DataFrame {
    return this.predictions.select(col(this.labelCol).cast('double').minus(col(this.predictionCol)).alias('residuals'));
  }

  async numInstances(): Promise<number> { return (await this.metrics()).numInstances; }
  /** SSreg / Σw, as Spark's RegressionMetrics. */
  async explainedVariance(): Promise<number> { return (await this.metrics()).explainedVariance; }
  async meanAbsoluteError(): Promise<number> { return (await this.metrics()).meanAbsoluteError; }
  async meanSquaredError(): Promise<number> { return (await this.metrics()).meanSquaredError; }
  async rootMeanSquaredError(): Promise<number> { return (await this.metrics()).rootMeanSquaredError; }
  /** R²; through the origin (1 − SSerr/Σwy²) when the model has no intercept. */
  async r2(): Promise<number> { return (await this.metrics()).r2; }
  async r2adj(): Promise<number> { return (await this.metrics()).r2adj; }
  async degreesOfFreedom(): Promise<number> { return (await this.metrics()).degreesOfFreedom; }
  /** [min, max] of the weighted residuals √w·(y − ŷ). */
  async devianceResiduals(): Promise<number[]> { return (await this.metrics()).devianceResiduals; }

  /**
   * Standard errors of the coefficients (and of the intercept, last). Only the "normal" solver
   * without an L1 part, on a non-singular system, gives them; otherwise the promise rejects.
   */
  coefficientStandardErrors(): Promise<number[]> {
    return this.withDiag('Std. Error of coefficients', async (diag) => {
      const m = await this.metrics();
      const sigma2 = m.rss / m.degreesOfFreedom;
      return Array.from(diag, (v) => Math.sqrt(v * sigma2));
    });
  }

  /** t-statistics of the coefficients (and intercept, last); "normal" solver only. */
  tValues(): Promise<number[]> {
    return this.withDiag('t-statistic', async () => {
      const se = await this.coefficientStandardErrors();
      return this.estimates().map((b, i) => b / se[i]);
    });
  }

  /** Two-sided p-values of the t-statistics with `degreesOfFreedom`; "normal" solver only. */
  pValues(): Promise<number[]> {
    return this.withDiag('p-value', async () => {
      const [t, m] = await Promise.all([this.tValues(), this.metrics()]);
      return t.map((x) => studentTTwoSidedP(Math.abs(x), m.degreesOfFreedom));
    });
  }

  private estimates(): number[] {
    const e = Array.from(this.model.coefficients);
    if (this.model.fitIntercept) e.push(this.model.intercept);
    return e;
  }

  private withDiag<T>(what: string, f: (diag: Float64Array) => Promise<T>): Promise<T> {
    const diag = this.diagInvAtWA;
    if (diag.length === 1 && diag[0] === 0) {
      return Promise.reject(new Error(`No ${what} available for this LinearRegressionModel: only the "normal" solver, ` +
        'without L1 regularization and on a non-singular system, provides it'));
    }
    return f(diag);
  }

  private metrics(): Promise<Metrics> {
    this.#metrics ??= this.computeMetrics();
    return this.#metrics;
  }

  private async computeMetrics(): Promise<Metrics> {
    const m = await this.predictions.treeAggregate(zeroRegressionMoments(), REGRESSION_METRICS, mergeRegressionMoments, 2, {
      prediction: this.predictionCol, label: this.labelCol, weight: this.model.weightCol ?? null,
    });
    return regressionMetrics(m, !this.model.fitIntercept, this.model.coefficients.length);
  }
}

/** Spark's RegressionMetrics and LinearRegressionSummary formulas from one pass of moments. */
export function regressionMetrics(m: RegressionMoments, throughOrigin: boolean, numCoefficients: number): Metrics {
  const W = m.weightSum, n = m.count;
  const denominator = W - m.weightSqSum / W;
  const labelVariance = denominator > 0 ? m.labelM2 / denominator : 0;
  const ssTot = labelVariance * (W - 1);
  const ssReg = m.predM2 + W * (m.predMean - m.labelMean) ** 2;
  const mse = m.sse / W;
  const r2 = throughOrigin ? 1 - m.sse / m.labelSq : 1 - m.sse / ssTot;
  const interceptDOF = throughOrigin ? 0 : 1;
  return {
    numInstances: n,
    explainedVariance: ssReg / W,
    meanAbsoluteError: m.sae / W,
    meanSquaredError: mse,
    rootMeanSquaredError: Math.sqrt(mse),
    r2,
    r2adj: 1 - ((1 - r2) * (n - interceptDOF)) / (n - numCoefficients - interceptDOF),
    degreesOfFreedom: n - numCoefficients - interceptDOF,
    devianceResiduals: [m.minResidual, m.maxResidual],
    rss: m.sse,
  };
}

export class LinearRegressionTrainingSummary extends LinearRegressionSummary {
  constructor(
    predictions: DataFrame, predictionCol: string, labelCol: string, featuresCol: string,
    model: LinearSummaryModelInfo, diagInvAtWA: Float64Array,
    /** The objective (scaled loss + regularization) at the start and after each iteration; [0] for the direct solve. */
    readonly objectiveHistory: number[],
  ) {
    super(predictions, predictionCol, labelCol, featuresCol, model, diagInvAtWA);
  }

  /** Iterations until termination (objectiveHistory.length − 1). */
  get totalIterations(): number { return this.objectiveHistory.length - 1; }
}

// --- Student's t ------------------------------------------------------------------------------

/** P(|T| > t) for Student's t with ν degrees of freedom: I_{ν/(ν+t²)}(ν/2, 1/2). */
export function studentTTwoSidedP(t: number, nu: number): number {
  if (!(nu > 0) || Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return regularizedIncompleteBeta(nu / (nu + t * t), nu / 2, 0.5);
}

/** I_x(a, b) by Lentz's continued fraction (Numerical Recipes' betacf), using the symmetry for x > (a+1)/(a+b+2). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300, EPS = 1e-16;
  let c = 1, dd = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(dd) < TINY) dd = TINY;
  dd = 1 / dd;
  let h = dd;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    dd = 1 + aa * dd; if (Math.abs(dd) < TINY) dd = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    dd = 1 / dd;
    h *= dd * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    dd = 1 + aa * dd; if (Math.abs(dd) < TINY) dd = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    dd = 1 / dd;
    const del = dd * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}
