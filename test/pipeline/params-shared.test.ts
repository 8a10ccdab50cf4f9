import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ParamSpec, Params } from '../../src/pipeline/params.js';
import { withParams } from '../../src/pipeline/params-mixin.js';
import * as shared from '../../src/pipeline/shared-params.js';

const { javaStringHashCode, seed, handleInvalid, optionalColumn } = shared;

/** Java's String.hashCode by its definition, in exact arithmetic, then wrapped to a signed 32-bit int. */
function referenceHashCode(s: string): number {
  let h = 0n;
  for (let i = 0; i < s.length; i++) h += BigInt(s.charCodeAt(i)) * 31n ** BigInt(s.length - 1 - i);
  return Number(BigInt.asIntN(32, h));
}

describe('javaStringHashCode', () => {
  it('matches Java for known strings', () => {
    // Values printed by Java 17's String.hashCode.
    expect(javaStringHashCode('hello')).toBe(99162322);
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('ü日本')).toBe(1077219);
    expect(javaStringHashCode('org.apache.spark.ml.classification.LogisticRegression')).toBe(-1774303775);
    expect(javaStringHashCode('org.apache.spark.ml.clustering.KMeans')).toBe(-1689246527);
  });

  it("equals the definition s[0]*31^(n-1) + ... + s[n-1], wrapped to an int (property)", () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
      expect(javaStringHashCode(s)).toBe(referenceHashCode(s));
    }));
  });
});

describe('shared params on a stage', () => {
  class Stage extends withParams(Params, {
    featuresCol: shared.featuresCol,
    labelCol: shared.labelCol,
    predictionCol: shared.predictionCol,
    rawPredictionCol: shared.rawPredictionCol,
    probabilityCol: shared.probabilityCol,
    varianceCol: shared.varianceCol,
    weightCol: shared.weightCol,
    leafCol: shared.leafCol,
    validationIndicatorCol: shared.validationIndicatorCol,
    inputCol: shared.inputCol,
    inputCols: shared.inputCols,
    outputCol: shared.outputCol,
    outputCols: shared.outputCols,
    maxIter: shared.maxIter,
    tol: shared.tol,
    regParam: shared.regParam,
    elasticNetParam: shared.elasticNetParam,
    fitIntercept: shared.fitIntercept,
    standardization: shared.standardization,
    stepSize: shared.stepSize,
    aggregationDepth: shared.aggregationDepth,
    checkpointInterval: shared.checkpointInterval,
    maxBlockSizeInMB: shared.maxBlockSizeInMB,
    relativeError: shared.relativeError,
    distanceMeasure: shared.distanceMeasure,
    numFeatures: shared.numFeatures,
    parallelism: shared.parallelism,
    collectSubModels: shared.collectSubModels,
    threshold: shared.threshold,
    thresholds: shared.thresholds,
    seed: seed('org.apache.spark.ml.classification.LogisticRegression'),
    handleInvalid: handleInvalid(['skip', 'error', 'keep']),
    solver: shared.solver(['auto', 'l-bfgs', 'normal'], 'auto'),
    loss: shared.loss(['squaredError', 'huber']),
  }) {}

  it("has Spark's defaults", () => {
    const s = new Stage();
    expect(s.defaultParamMapJSON()).toEqual({
      featuresCol: 'features',
      labelCol: 'label',
      predictionCol: 'prediction',
      rawPredictionCol: 'rawPrediction',
      probabilityCol: 'probability',
      leafCol: '',
      outputCol: `${s.uid}__output`,
      fitIntercept: true,
      standardization: true,
      aggregationDepth: 2,
      maxBlockSizeInMB: 0,
      relativeError: 0.001,
      distanceMeasure: 'euclidean',
      numFeatures: 262144,
      parallelism: 1,
      collectSubModels: false,
      seed: -1774303775,
      handleInvalid: 'error',
      solver: 'auto',
    });
    for (const p of [s.weightCol, s.varianceCol, s.maxIter, s.tol, s.regParam, s.threshold, s.thresholds, s.loss]) {
      expect(s.isDefined(p)).toBe(false);
    }
  });

  it('validates as Spark does', () => {
    const s = new Stage();
    const bad: [() => unknown, string][] = [
      [() => s.setAggregationDepth(1), 'aggregationDepth given invalid value 1 (must be >= 2)'],
      [() => s.setCheckpointInterval(0), 'checkpointInterval given invalid value 0 (must be -1 or >= 1)'],
      [() => s.setStepSize(0), 'stepSize given invalid value 0 (must be > 0)'],
      [() => s.setElasticNetParam(-0.1), 'elasticNetParam given invalid value -0.1 (must be in [0, 1])'],
      [() => s.setRelativeError(2), 'relativeError given invalid value 2 (must be in [0, 1])'],
      [() => s.setThreshold(1.1), 'threshold given invalid value 1.1 (must be in [0, 1])'],
      [() => s.setThresholds([0, 0]), 'thresholds given invalid value [0, 0] (must be an array of values >= 0 with at most one 0)'],
      [() => s.setThresholds([-1, 2]), 'thresholds given invalid value [-1, 2]'],
      // @ts-expect-error -- a value the type rejects, checked at run time too
      [() => s.setDistanceMeasure('manhattan'), "distanceMeasure given invalid value manhattan (must be one of [euclidean, cosine])"],
      // @ts-expect-error -- a value the type rejects, checked at run time too
      [() => s.setHandleInvalid('drop'), 'handleInvalid given invalid value drop (must be one of [skip, error, keep])'],
      // @ts-expect-error -- a value the type rejects, checked at run time too
      [() => s.setSolver('sgd'), 'solver given invalid value sgd (must be one of [auto, l-bfgs, normal])'],
      [() => s.setMaxIter(-1), 'maxIter given invalid value -1 (must be >= 0)'],
      [() => s.setSeed(2 ** 53), 'seed given invalid value 9007199254740992 (must be a long'],
      [() => s.setInputCols(['a', 1 as unknown as string]), 'inputCols given invalid value [a, 1] (must be an array of strings'],
    ];
    for (const [act, message] of bad) expect(act).toThrow(`${s.uid} parameter ${message}`);
    s.setCheckpointInterval(-1).setThresholds([0, 0.5, 1]).setAggregationDepth(2).setHandleInvalid('keep');
    expect(s.getCheckpointInterval()).toBe(-1);
    expect(s.getSeed()).toBe(-1774303775);
    expect(s.setSeed(-(2 ** 40)).getSeed()).toBe(-(2 ** 40));
  });

  it('outputCol defaults to the uid of each stage', () => {
    const [a, b] = [new Stage(), new Stage()];
    expect(a.getOutputCol()).toBe(`${a.uid}__output`);
    expect(b.getOutputCol()).not.toBe(a.getOutputCol());
  });

  it('handleInvalid: default only when error is an option, unless given', () => {
    class H extends withParams(Params, {
      a: handleInvalid(['skip', 'keep']),
      b: handleInvalid(['skip', 'keep'], { default: 'keep', doc: 'how to handle NaN' }),
    }) {}
    const h = new H();
    expect(h.isDefined(h.a)).toBe(false);
    expect(h.getB()).toBe('keep');
    expect(h.explainParam(h.b)).toBe('b: how to handle NaN (default: keep)');
  });

  it('optionalColumn treats unset and empty as absent (weightCol)', () => {
    const s = new Stage();
    expect(optionalColumn(s, s.weightCol)).toBeUndefined();
    s.setWeightCol('');
    expect(optionalColumn(s, s.weightCol)).toBeUndefined();
    s.setWeightCol('w');
    expect(optionalColumn(s, s.weightCol)).toBe('w');
  });

  it('specs are immutable: withDefault returns a new spec', () => {
    const withDefault = shared.maxIter.withDefault(20);
    expect(withDefault.options.default).toBe(20);
    expect(shared.maxIter.options.default).toBeUndefined();
    expect(shared.outputCol.withDefault('out').options.defaultFor).toBeUndefined();
    expect(shared.featuresCol.withoutDefault().options.default).toBeUndefined();
    expect(shared.tol.withDoc('tolerance').doc).toBe('tolerance');
    expect(ParamSpec.int('k').withValidator(shared.aggregationDepth.options.validator!).options.validator?.doc).toBe('>= 2');
  });
});
