// Spark's LogisticRegressionSummary family: multiclass metrics for every model, plus ROC / PR curves
// and their areas for binary models, plus the objective history for training summaries.
// Metrics are computed on first use by an async method (`await model.summary.accuracy()`); curves are
// lazy DataFrames (`model.binarySummary.roc`), computed by their actions.
import type { DataFrame } from '../dataframe/dataframe.js';
import { BinaryMetricsSource, ClassificationSummary } from './summary.js';

export class LogisticRegressionSummary extends ClassificationSummary {
  constructor(
    predictions: DataFrame,
    /** Column of the class probabilities (a vector). */
    readonly probabilityCol: string,
    predictionCol: string,
    labelCol: string,
    readonly featuresCol: string,
    weightCol: string,
  ) {
    super(predictions, predictionCol, labelCol, weightCol);
  }

  /** This summary as a binary one; throws for a multiclass model. */
  asBinary(): BinaryLogisticRegressionSummary {
    if (this instanceof BinaryLogisticRegressionSummary) return this;
    throw new Error('Cannot cast to a binary summary: the model is not binary');
  }
}

export class BinaryLogisticRegressionSummary extends LogisticRegressionSummary {
  #binary: BinaryMetricsSource | null = null;

  /** The score is the probability of class 1. */
  get scoreCol(): string {
    if (this.probabilityCol === '') throw new Error('probabilityCol is required for BinaryLogisticRegressionSummary.');
    return this.probabilityCol;
  }

  private get binary(): BinaryMetricsSource {
    this.#binary ??= new BinaryMetricsSource(this.predictions, this.scoreCol, this.labelCol, this.weightColumn);
    return this.#binary;
  }

  /** The ROC curve: a (lazy) DataFrame of (FPR, TPR), from (0, 0) to (1, 1). */
  get roc(): DataFrame { return this.binary.curve(['FPR', 'TPR'], (m) => m.roc()); }
  async areaUnderROC(): Promise<number> { return (await this.binary.metrics()).areaUnderROC(); }
  /** The precision-recall curve: a DataFrame of (recall, precision); the single point (0, 1) when there are no scores. */
  get pr(): DataFrame { return this.binary.curve(['recall', 'precision'], (m) => (m.numThresholds === 0 ? [[0, 1]] : m.pr())); }
  get fMeasureByThreshold(): DataFrame { return this.binary.curve(['threshold', 'F-Measure'], (m) => m.fMeasureByThreshold()); }
  get precisionByThreshold(): DataFrame { return this.binary.curve(['threshold', 'precision'], (m) => m.precisionByThreshold()); }
  get recallByThreshold(): DataFrame { return this.binary.curve(['threshold', 'recall'], (m) => m.recallByThreshold()); }
}

/** What a training summary adds: the objective (loss + regularization) at the start and after each iteration. */
export interface TrainingSummary {
  readonly objectiveHistory: number[];
  readonly totalIterations: number;
}

export class LogisticRegressionTrainingSummary extends LogisticRegressionSummary implements TrainingSummary {
  constructor(
    predictions: DataFrame, probabilityCol: string, predictionCol: string, labelCol: string, featuresCol: string, weightCol: string,
    readonly objectiveHistory: number[],
  ) {
    super(predictions, probabilityCol, predictionCol, labelCol, featuresCol, weightCol);
  }

  get totalIterations(): number { return this.objectiveHistory.length - 1; }
}

export class BinaryLogisticRegressionTrainingSummary extends BinaryLogisticRegressionSummary implements TrainingSummary {
  constructor(
    predictions: DataFrame, probabilityCol: string, predictionCol: string, labelCol: string, featuresCol: string, weightCol: string,
    readonly objectiveHistory: number[],
  ) {
    super(predictions, probabilityCol, predictionCol, labelCol, featuresCol, weightCol);
  }

  get totalIterations(): number { return this.objectiveHistory.length - 1; }
}
