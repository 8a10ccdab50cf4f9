// Spark's `Evaluator`: a Params object whose `evaluate(df)` runs passes over the partitions and
// returns one number. Schemas are checked before any data is read; problems found in the data
// (nulls, NaN, bad weights) are counted during the pass and reported together in one error.
// Where Spark would return NaN or fail obscurely, evaluators throw instead: on an empty DataFrame,
// on a total weight of 0, on null or NaN labels, predictions, scores or features, and on null,
// NaN, negative or infinite weights (Spark's checkNonNegativeWeights).
import type { DataFrame } from '../dataframe/dataframe.js';
import { isNumeric, typeName, type StructField, type StructType } from '../dataframe/types.js';
import { writerFor, type MLWriter } from '../pipeline/ml-writable.js';
import { ParamMap } from '../pipeline/params-map.js';
import { Params } from '../pipeline/params.js';
import type { Problems } from './columns.js';

export abstract class Evaluator extends Params {
  /** The Spark class this evaluator corresponds to, written as `class` in saved metadata. */
  static readonly sparkClassName: string;

  /**
   * The metric on `df`; with `extra`, the metric of a copy of this evaluator with those params
   * (Spark's `evaluate(dataset, paramMap)`). Rejects before any pass on a bad schema.
   */
  async evaluate(df: DataFrame, extra?: ParamMap): Promise<number> {
    const evaluator = extra && extra.size > 0 ? this.copy(extra) : this;
    evaluator.validateSchema(df.schema);
    return evaluator.evaluateImpl(df);
  }

  /** Whether a larger metric is better (model selection maximises or minimises accordingly). */
  isLargerBetter(): boolean {
    return true;
  }

  /** Throws an error naming the missing or mistyped column; reads no data. */
  abstract validateSchema(schema: StructType): void;

  protected abstract evaluateImpl(df: DataFrame): Promise<number>;

  /** Spark's MLWritable: `evaluator.write().overwrite().save(path)` (params-only metadata). */
  write(): MLWriter {
    return writerFor(this);
  }

  save(path: string): Promise<void> {
    return this.write().save(path);
  }

  /** An error prefixed with this evaluator's uid (which starts with its class name). */
  protected fail(message: string): Error {
    return new Error(`${this.uid}: ${message}`);
  }

  /** The field, or an error naming the missing column and the available ones. */
  protected requireColumn(schema: StructType, name: string, role: string): StructField {
    if (!schema.has(name)) {
      throw this.fail(`${role} column '${name}' does not exist. Available columns: [${schema.fieldNames.join(', ')}]`);
    }
    return schema.field(name);
  }

  protected requireNumeric(schema: StructType, name: string, role: string): StructField {
    const field = this.requireColumn(schema, name, role);
    if (!isNumeric(field.type)) {
      throw this.fail(`${role} column '${name}' must be of type numeric (double, int or long) but was actually of type ${typeName(field.type)}`);
    }
    return field;
  }

  protected requireVector(schema: StructType, name: string, role: string): StructField {
    const field = this.requireColumn(schema, name, role);
    if (field.type.kind !== 'vector') {
      throw this.fail(`${role} column '${name}' must be of type vector but was actually of type ${typeName(field.type)}`);
    }
    return field;
  }

  /** Throws one error listing every kind of invalid row the pass counted. */
  protected throwIfProblems(problems: Problems): void {
    const entries = Object.entries(problems).filter(([, n]) => n > 0);
    if (entries.length === 0) return;
    const list = entries.map(([what, n]) => `${n} row${n === 1 ? '' : 's'} where ${what}`).join('; ');
    const hints: string[] = [];
    if (entries.some(([what]) => what.startsWith('weight'))) hints.push('weights must be finite and >= 0');
    if (entries.some(([what]) => what.startsWith('prediction') && what.endsWith('is NaN'))) {
      hints.push("models such as ALS predict NaN for unseen ids: set their coldStartStrategy to 'drop'");
    }
    throw this.fail(`invalid input: ${list}. Drop or fix these rows before evaluating${hints.length ? ` (${hints.join('; ')})` : ''}`);
  }

  protected throwIfEmpty(rows: number): void {
    if (rows === 0) throw this.fail('the DataFrame is empty: there are no rows to evaluate');
  }
}
