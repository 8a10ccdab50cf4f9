// LogisticRegression's params (Spark's LogisticRegressionParams), shared by the estimator and the
// model: the declared specs, matrix and vector param kinds for the bounds, and threshold/thresholds,
// whose getters and setters keep the two consistent as Spark's do.
import { DenseMatrix, Matrices, type DenseMatrixJSON } from '../linalg/matrix.js';
import { DenseVector, Vectors, type VectorJSON } from '../linalg/vectors.js';
import type { JsonValue, Param, ParamKind } from '../pipeline/param.js';
import { ParamValidators } from '../pipeline/params-validators.js';
import { ParamSpec, type Params } from '../pipeline/params.js';
import {
  aggregationDepth, featuresCol, labelCol, linearFitParams, maxBlockSizeInMB, predictionCol, probabilityCol,
  rawPredictionCol, threshold, thresholds, weightCol,
} from '../pipeline/shared-params.js';

function formatOf(values: ArrayLike<number>): string {
  return `[${Array.from(values).join(', ')}]`;
}

/** A DenseMatrix param, in Spark's JSON (JsonMatrixConverter: "class": "matrix", "type": 1). */
export const matrixKind: ParamKind<DenseMatrix> = {
  name: 'matrix',
  description: 'a DenseMatrix',
  accepts: (v): v is DenseMatrix => v instanceof DenseMatrix,
  toJSON: (m) => ({ class: 'matrix', ...m.toJSON() }) as unknown as JsonValue,
  fromJSON: (j) => Matrices.fromJSON(j as unknown as DenseMatrixJSON),
  format: (m) => `${m.numRows}×${m.numCols} ${formatOf(m.rowMajorValues())}`,
};

/** A DenseVector param, in Spark's JSON (JsonVectorConverter: "type": 1). */
export const vectorKind: ParamKind<DenseVector> = {
  name: 'vector',
  description: 'a DenseVector',
  accepts: (v): v is DenseVector => v instanceof DenseVector,
  toJSON: (v) => v.toJSON() as unknown as JsonValue,
  fromJSON: (j) => {
    const v = Vectors.fromJSON(j as unknown as VectorJSON);
    return v instanceof DenseVector ? v : v.toDense();
  },
  format: (v) => v.toString(),
};

const family = ParamSpec.caseInsensitiveChoice(
  'The name of family which is a description of the label distribution to be used in the model. Supported options: auto, binomial, multinomial.',
  ['auto', 'binomial', 'multinomial'], { default: 'auto' },
);

const bound = (what: string, kind: ParamKind<DenseMatrix> | ParamKind<DenseVector>) =>
  new ParamSpec(kind as ParamKind<unknown>, `The ${what} if fitting under bound constrained optimization.`);

export const logisticParams = {
  featuresCol,
  labelCol,
  predictionCol,
  probabilityCol,
  rawPredictionCol,
  weightCol,
  ...linearFitParams,
  family,
  aggregationDepth,
  maxBlockSizeInMB,
  lowerBoundsOnCoefficients: bound('lower bounds on coefficients', matrixKind) as ParamSpec<DenseMatrix>,
  upperBoundsOnCoefficients: bound('upper bounds on coefficients', matrixKind) as ParamSpec<DenseMatrix>,
  lowerBoundsOnIntercepts: bound('lower bounds on intercepts', vectorKind) as ParamSpec<DenseVector>,
  upperBoundsOnIntercepts: bound('upper bounds on intercepts', vectorKind) as ParamSpec<DenseVector>,
};

export const thresholdSpec = threshold.withDefault(0.5);
export const thresholdsSpec = thresholds;

type AbstractConstructor<T = object> = abstract new (...args: any[]) => T; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What `withThresholds` adds to a stage. */
export interface ThresholdParams {
  readonly threshold: Param<number>;
  readonly thresholds: Param<readonly number[]>;
  /** Sets the binary threshold and clears `thresholds`. */
  setThreshold(value: number): this;
  getThreshold(): number;
  /** Sets per-class thresholds and clears `threshold`. */
  setThresholds(value: readonly number[]): this;
  getThresholds(): readonly number[];
}

/**
 * Adds `threshold` (default 0.5) and `thresholds` with Spark's coupling: setting one clears the
 * other, `getThreshold` derives from binary `thresholds`, `getThresholds` from `threshold`.
 */
export function withThresholds<B extends AbstractConstructor<Params>>(Base: B): B & AbstractConstructor<ThresholdParams> {
  abstract class WithThresholds extends Base {
    readonly threshold: Param<number>;
    readonly thresholds: Param<readonly number[]>;

    constructor(...args: any[]) { // eslint-disable-line @typescript-eslint/no-explicit-any
      super(...args);
      this.threshold = this.declareParam('threshold', thresholdSpec);
      this.thresholds = this.declareParam('thresholds', thresholdsSpec);
    }

    /** Sets the binary threshold and clears `thresholds`. */
    setThreshold(value: number): this {
      if (this.isSet(this.thresholds)) this.clear(this.thresholds);
      return this.set(this.threshold, value);
    }

    getThreshold(): number {
      this.checkThresholdConsistency();
      if (this.isSet(this.thresholds)) {
        const ts = this.getOrDefault(this.thresholds);
        if (ts.length !== 2) {
          throw new Error(`Logistic Regression getThreshold only applies to binary classification, but thresholds has length != 2.  thresholds: ${ts.join(',')}`);
        }
        return 1 / (1 + ts[0] / ts[1]);
      }
      return this.getOrDefault(this.threshold);
    }

    /** Sets per-class thresholds and clears `threshold`. */
    setThresholds(value: readonly number[]): this {
      if (this.isSet(this.threshold)) this.clear(this.threshold);
      return this.set(this.thresholds, value);
    }

    getThresholds(): readonly number[] {
      this.checkThresholdConsistency();
      if (!this.isSet(this.thresholds) && this.isSet(this.threshold)) {
        const t = this.getOrDefault(this.threshold);
        return [1 - t, t];
      }
      return this.getOrDefault(this.thresholds);
    }

    checkThresholdConsistency(): void {
      if (this.isSet(this.threshold) && this.isSet(this.thresholds)) {
        const ts = this.getOrDefault(this.thresholds);
        const t0 = this.getOrDefault(this.threshold);
        if (ts.length !== 2) {
          throw new Error(`Logistic Regression found inconsistent values for threshold and thresholds.  Param threshold is set (${t0}), ` +
            `indicating binary classification, but Param thresholds is set with length ${ts.length}. Clear one Param value to fix this problem.`);
        }
        const t = 1 / (1 + ts[0] / ts[1]);
        if (!(Math.abs(t0 - t) < 1e-5)) {
          throw new Error(`Logistic Regression getThreshold found inconsistent values for threshold (${t0}) and thresholds (equivalent to ${t})`);
        }
      }
    }
  }
  return WithThresholds as unknown as B & AbstractConstructor<ThresholdParams>;
}
