// Scoring one row without a DataFrame: a fitted PipelineModel compiled once, for rows of a given
// schema, into one step per stage. A step reads its input columns from a plain object and writes
// its outputs into it; vectors are written into buffers the step owns, so scoring a row allocates
// nothing. Every step computes exactly what its stage's transform computes (the same functions,
// in the same order), so predictions are bit for bit those of `transform`.
import type { StructType } from '../dataframe/types.js';
import type { PipelineStage } from './stage.js';

/** A row being scored: the input's fields, then each stage's output columns. */
export type ScoredRow = Record<string, unknown>;

/** One stage compiled for rows: writes its outputs into `row`; false drops the row (handleInvalid 'skip'). */
export type RowStep = (row: ScoredRow) => boolean;

/** A fitted stage that can score single rows. */
export interface RowCompilable {
  /** Compiles the stage for rows of `schema` (checked as `transformSchema` checks it). */
  compileRow(schema: StructType): RowStep;
}

export function isRowCompilable(stage: unknown): stage is RowCompilable {
  return typeof (stage as Partial<RowCompilable>).compileRow === 'function';
}

export class RowScorer {
  private readonly row: ScoredRow = {};

  constructor(private readonly steps: readonly RowStep[]) {}

  /**
   * Scores one row: the input's fields and every stage's outputs, or null when a stage dropped it
   * (handleInvalid 'skip'). The returned object and the vectors in it are reused by the next call:
   * copy what must outlive it.
   */
  score(input: Readonly<ScoredRow>): ScoredRow | null {
    const row = this.row;
    for (const k in input) row[k] = input[k];
    for (let i = 0; i < this.steps.length; i++) if (!this.steps[i](row)) return null;
    return row;
  }
}

/** Compiles stages in order, each for the schema the ones before it produce. */
export function compileRowScorer(stages: readonly PipelineStage[], schema: StructType): RowScorer {
  let current = schema;
  const steps = stages.map((stage) => {
    if (!isRowCompilable(stage)) {
      throw new Error(`${stage.uid}: ${stage.constructor.name} cannot score single rows yet; ` +
        'rowScorer supports StringIndexerModel, OneHotEncoderModel, VectorAssembler, StandardScalerModel, ' +
        'LogisticRegressionModel, LinearRegressionModel and the decision tree, random forest and GBT models');
    }
    const step = stage.compileRow(current);
    current = stage.transformSchema(current);
    return step;
  });
  return new RowScorer(steps);
}
