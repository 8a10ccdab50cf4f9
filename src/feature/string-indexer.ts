// Spark's StringIndexer: maps string (or numeric, cast to string) columns of labels to double
// columns of label indices. Labels are counted with a keyed reduce over partitions and ordered by
// `stringOrderType`; frequency ties are broken alphabetically. The output column carries a nominal
// attribute with the labels, so later stages (trees) see it as categorical.
import type { DataFrame } from '../dataframe/dataframe.js';
import { DoubleType, type StructField, type StructType } from '../dataframe/types.js';
import { withParams, type DeclaredParams } from '../pipeline/params-mixin.js';
import { constructWithUid, ParamSpec, type Params, type ParamValues } from '../pipeline/params.js';
import { ParamValidators } from '../pipeline/params-validators.js';
import { handleInvalid, inputCol, inputCols, outputCol, outputCols } from '../pipeline/shared-params.js';
import { Estimator, Model, ParamMap } from '../pipeline/stage.js';
import { dataTable, loadStage, registerStage, stringArrayArrayColumn, type LoadOptions } from '../persistence/index.js';
import { attributeMetadata } from './attributes.js';
import { checkSingleVsMultiColumnParams, columnKind, requireAbsent } from './shared.js';
import { indexOfLabel, LABEL_COUNTS, labelOfValue, parseCountKey, STRING_INDEXER, type IndexerColumn, type IndexerParams } from './string-indexer.kernels.js';
import type { RowStep } from '../pipeline/row-scorer.js';

export const STRING_ORDER_TYPES = ['frequencyDesc', 'frequencyAsc', 'alphabetDesc', 'alphabetAsc'] as const;
export type StringOrderType = (typeof STRING_ORDER_TYPES)[number];

const indexerParams = {
  inputCol,
  outputCol,
  inputCols,
  outputCols,
  handleInvalid: handleInvalid(['skip', 'error', 'keep'], {
    doc: 'How to handle invalid data (unseen labels or NULL values). Options are \'skip\' (filter out rows with ' +
      "invalid data), error (throw an error), or 'keep' (put invalid data in a special additional bucket, at index numLabels).",
  }),
  stringOrderType: ParamSpec.choice(
    'How to order labels of string column. The first label after ordering is assigned an index of 0. ' +
      `Supported options: ${STRING_ORDER_TYPES.join(', ')}.`,
    STRING_ORDER_TYPES, { default: 'frequencyDesc' },
  ),
};

type IndexerStage = Params & DeclaredParams<typeof indexerParams>;

/** The input and output column names, in pairs (Spark's getInOutCols). */
function inOutCols(stage: IndexerStage): [string[], string[]] {
  checkSingleVsMultiColumnParams(stage, [stage.outputCol], [stage.outputCols]);
  if (stage.isSet(stage.inputCol)) return [[stage.getInputCol()], [stage.getOutputCol()]];
  const ins = [...stage.getInputCols()], outs = [...stage.getOutputCols()];
  if (ins.length !== outs.length) throw new Error('The number of input columns does not match output columns');
  if (ins.length === 0) throw new Error(`${stage.uid}: inputCols is empty; set at least one input column`);
  return [ins, outs];
}

interface IndexedPair { position: number; input: StructField; output: string }

/**
 * Checks the columns and returns the output schema and the pairs to index. A model skips input
 * columns that do not exist (Spark: a label column absent when scoring), an estimator fails.
 */
function validateAndTransformSchema(
  stage: IndexerStage, schema: StructType, skipMissing: boolean, labelsOf: (position: number) => readonly string[] | undefined,
): { schema: StructType; pairs: IndexedPair[] } {
  const [ins, outs] = inOutCols(stage);
  if (new Set(outs).size !== outs.length) throw new Error('Output columns should not be duplicate.');
  const pairs: IndexedPair[] = [];
  const fields: StructField[] = [];
  ins.forEach((name, position) => {
    if (!schema.has(name)) {
      if (skipMissing) return;
      throw new Error(`Input column ${name} does not exist.`);
    }
    const input = schema.field(name);
    const k = input.type.kind;
    if (k !== 'string' && k !== 'double' && k !== 'int' && k !== 'long') {
      throw new Error(`The input column ${name} must be either string type or numeric type, but got ${k}.`);
    }
    const output = outs[position];
    requireAbsent(schema, output);
    const values = labelsOf(position);
    fields.push({ name: output, type: DoubleType, nullable: false, metadata: attributeMetadata({ type: 'nominal', name: output, ...(values ? { values } : {}) }) });
    pairs.push({ position, input, output });
  });
  return { schema: fields.reduce((s, f) => s.add(f), schema), pairs };
}

/** Spark's string order: by Unicode code point (UTF-16 order with surrogates moved above U+FFFF's neighbours). */
export function compareLabels(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Labels in index order for one column's counts. */
export function orderLabels(counts: readonly (readonly [string, number])[], order: StringOrderType): string[] {
  const sorted = [...counts];
  switch (order) {
    case 'frequencyDesc': sorted.sort((a, b) => b[1] - a[1] || compareLabels(a[0], b[0])); break;
    case 'frequencyAsc': sorted.sort((a, b) => a[1] - b[1] || compareLabels(a[0], b[0])); break;
    case 'alphabetAsc': sorted.sort((a, b) => compareLabels(a[0], b[0])); break;
    case 'alphabetDesc': sorted.sort((a, b) => compareLabels(b[0], a[0])); break;
  }
  return sorted.map(([label]) => label);
}

export class StringIndexerModel extends withParams(Model, indexerParams) {
  static readonly sparkClassName = 'org.apache.spark.ml.feature.StringIndexerModel';

  static load(path: string, options?: LoadOptions): Promise<StringIndexerModel> {
    return loadStage(StringIndexerModel, path, options);
  }

  /** The labels of each input column, in index order. */
  readonly labelsArray: readonly (readonly string[])[];

  /** `labels` for one input column, or `labelsArray` for several (as Spark's constructors). */
  constructor(labels: readonly string[] | readonly (readonly string[])[] = [], params: ParamValues<StringIndexerModel> = {}) {
    super();
    const nested = labels.length > 0 && typeof labels[0] !== 'string';
    this.labelsArray = (nested ? (labels as readonly (readonly string[])[]) : labels.length > 0 ? [labels as readonly string[]] : [])
      .map((l) => Object.freeze([...l]));
    this.setParamsFromObject(params);
  }

  /** The labels of the only input column. */
  get labels(): readonly string[] {
    if (this.labelsArray.length !== 1) {
      throw new Error('This StringIndexerModel is fit on multiple columns. Call `labelsArray` instead.');
    }
    return this.labelsArray[0];
  }

  transformSchema(schema: StructType): StructType {
    return this.plan(schema).schema;
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const { schema, pairs } = this.plan(df.schema);
    if (pairs.length === 0) return df;
    const params: IndexerParams = {
      columns: pairs.map(({ position, input }) => ({ name: input.name, kind: columnKind(input.type), labels: [...this.labelsArray[position]] })),
      handleInvalid: this.getHandleInvalid() as IndexerParams['handleInvalid'],
    };
    return df.withMappedColumns(STRING_INDEXER, params, schema.fields.slice(df.schema.length));
  }

  /** One row at a time (PipelineModel.rowScorer): transform's lookup and handleInvalid rule. */
  compileRow(schema: StructType): RowStep {
    const { pairs } = this.plan(schema);
    const handle = this.getHandleInvalid() as IndexerParams['handleInvalid'];
    const columns = pairs.map(({ position, input, output }) => ({
      name: input.name, output, kind: columnKind(input.type), numLabels: this.labelsArray[position].length,
      toIndex: new Map(this.labelsArray[position].map((l, i) => [l, i] as const)),
    }));
    return (row) => {
      for (const c of columns) {
        const idx = indexOfLabel(labelOfValue(row[c.name], c.kind), c.toIndex, c.numLabels, handle);
        if (idx < 0) return false;
        row[c.output] = idx;
      }
      return true;
    };
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    const copied = constructWithUid(this.uid, () => new StringIndexerModel(this.labelsArray));
    copied.parent = this.parent;
    return this.copyValues(copied, extra) as this;
  }

  override toString(): string {
    return `StringIndexerModel: uid=${this.uid}, handleInvalid=${this.getHandleInvalid()}, numInputCols=${this.labelsArray.length}`;
  }

  private plan(schema: StructType) {
    const [ins] = inOutCols(this);
    if (ins.length !== this.labelsArray.length) {
      throw new Error(`StringIndexerModel ${this.uid} was fitted on ${this.labelsArray.length} input column(s) but ${ins.length} are set`);
    }
    const keep = this.getHandleInvalid() === 'keep';
    return validateAndTransformSchema(this, schema, true, (i) => (keep ? [...this.labelsArray[i], '__unknown'] : this.labelsArray[i]));
  }
}

export class StringIndexer extends withParams(Estimator<StringIndexerModel>, indexerParams) {
  static readonly sparkClassName = 'org.apache.spark.ml.feature.StringIndexer';

  static load(path: string, options?: LoadOptions): Promise<StringIndexer> {
    return loadStage(StringIndexer, path, options);
  }

  constructor(params: ParamValues<StringIndexer> = {}) {
    super();
    this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType {
    return validateAndTransformSchema(this, schema, false, () => undefined).schema;
  }

  /** One keyed reduce: each partition counts its labels per column; counts merge by (column, label). */
  protected async fitImpl(df: DataFrame): Promise<StringIndexerModel> {
    const [ins] = inOutCols(this);
    const columns: IndexerColumn[] = ins.map((name) => ({ name, kind: columnKind(df.schema.field(name).type) }));
    const counts = await df.keyedReduce<string, number>(LABEL_COUNTS, (a, b) => a + b, { columns });
    const perColumn: [string, number][][] = columns.map(() => []);
    for (const [key, count] of counts) {
      const [position, label] = parseCountKey(key);
      perColumn[position].push([label, count]);
    }
    const order = this.getStringOrderType() as StringOrderType;
    const labelsArray = perColumn.map((c) => orderLabels(c, order));
    return this.copyValues(constructWithUid(this.uid, () => new StringIndexerModel(labelsArray)));
  }
}

// Spark's data/ for StringIndexerModel: one row, labelsArray: array<array<string>> (Spark 3); models
// saved by Spark 2 have labels: array<string> instead.
registerStage(StringIndexerModel, {
  save: (model, out) => out.writeData(dataTable({ labelsArray: stringArrayArrayColumn([model.labelsArray]) })),
  async load(ctx) {
    const data = (await ctx.readData()).requireRows(1);
    const labelsArray = data.columns.includes('labelsArray') ? data.stringArrayArray('labelsArray') : [data.stringArray('labels')];
    return ctx.construct(() => new StringIndexerModel(labelsArray));
  },
});
registerStage(StringIndexer);
