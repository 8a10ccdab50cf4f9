import { describe, expect, expectTypeOf, it } from 'vitest';
import fc from 'fast-check';
import { Param, ParamKinds } from '../../src/pipeline/param.js';
import { ParamMap } from '../../src/pipeline/params-map.js';
import { ParamValidators } from '../../src/pipeline/params-validators.js';
import { ParamSpec, Params, constructWithUid, type ParamValues } from '../../src/pipeline/params.js';
import { withParams } from '../../src/pipeline/params-mixin.js';
import {
  elasticNetParam,
  featuresCol,
  labelCol,
  maxIter,
  predictionCol,
  regParam,
  seed,
  thresholds,
  tol,
  weightCol,
} from '../../src/pipeline/shared-params.js';

const { inArray, inRange } = ParamValidators;

/** A stand-in for a Predictor base in stage.ts: shared column params. */
abstract class ToyPredictor extends withParams(Params, { featuresCol, labelCol, predictionCol }) {}

/** A LogisticRegression-shaped stage: shared params, stage-specific ones, one hand-declared. */
class ToyRegression extends withParams(ToyPredictor, {
  regParam: regParam.withDefault(0),
  elasticNetParam: elasticNetParam.withDefault(0),
  maxIter: maxIter.withDefault(100),
  tol: tol.withDefault(1e-6),
  family: ParamSpec.string('The name of family. Supported options: auto, binomial, multinomial.', {
    default: 'auto',
    validator: inArray(['auto', 'binomial', 'multinomial']),
  }),
  weightCol,
  thresholds,
  seed: seed('org.apache.spark.ml.classification.LogisticRegression'),
  offset: ParamSpec.double('an unconstrained double'),
  bounds: ParamSpec.doubleArrayArray('bounds matrix'),
}) {
  // Hand-declared because its getter says more than the value (as Spark's LR threshold).
  readonly threshold = this.declareParam(ParamKinds.double, 'threshold', 'threshold in binary classification', {
    default: 0.5,
    validator: inRange(0, 1),
  });

  constructor(init: ParamValues<ToyRegression> = {}) {
    super();
    this.setParamsFromObject(init);
  }

  getThreshold(): number {
    return this.getOrDefault(this.threshold);
  }

  setThreshold(value: number): this {
    return this.set(this.threshold, value);
  }
}

/** A model receiving an estimator's values by name (Spark's copyValues into the model). */
class ToyModel extends withParams(ToyPredictor, { regParam: regParam.withDefault(9), coefficientsNorm: ParamSpec.double('x') }) {}
class ToyEstimator extends ToyRegression {
  fitModel(extra?: ParamMap): ToyModel {
    return this.copyValues(new ToyModel(), extra);
  }
}

const UID = /^ToyRegression_[0-9a-f]{12}$/;

describe('uid', () => {
  it('is the class name, an underscore and 12 lowercase hex characters, unique per stage', () => {
    const uids = Array.from({ length: 500 }, () => new ToyRegression().uid);
    for (const uid of uids) expect(uid).toMatch(UID);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('is the given one when a subclass passes it, and toString is the uid', () => {
    class Named extends withParams(Params, { tol }) {
      constructor(uid?: string) {
        super(uid);
      }
    }
    expect(new Named('named_1').uid).toBe('named_1');
    expect(String(new Named('named_1'))).toBe('named_1');
  });

  it('constructWithUid gives the uid to the outermost stage built, not to stages it builds', () => {
    class Inner extends withParams(Params, { tol }) {}
    class Outer extends withParams(Params, { tol }) {
      readonly inner = new Inner();
    }
    const outer = constructWithUid('Outer_000000000001', () => new Outer());
    expect(outer.uid).toBe('Outer_000000000001');
    expect(outer.inner.uid).toMatch(/^Inner_[0-9a-f]{12}$/);
    expect(new Outer().uid).not.toBe('Outer_000000000001');
  });
});

describe('declaring params', () => {
  it('gives typed params owned by the stage, listed by name', () => {
    const lr = new ToyRegression();
    expect(lr.regParam).toBeInstanceOf(Param);
    expect(lr.regParam.parent).toBe(lr.uid);
    expect(String(lr.regParam)).toBe(`${lr.uid}__regParam`);
    expect(lr.params.map((p) => p.name)).toEqual([
      'bounds', 'elasticNetParam', 'family', 'featuresCol', 'labelCol', 'maxIter', 'offset',
      'predictionCol', 'regParam', 'seed', 'thresholds', 'threshold', 'tol', 'weightCol',
    ].sort());
    expect(lr.hasParam('maxIter')).toBe(true);
    expect(lr.hasParam('nope')).toBe(false);
    expect(lr.getParam('maxIter')).toBe(lr.maxIter);
    expect(() => lr.getParam('nope')).toThrow(/has no param named 'nope'; valid params: bounds, elasticNetParam/);
    expectTypeOf(lr.regParam).toEqualTypeOf<Param<number>>();
    expectTypeOf(lr.family).toEqualTypeOf<Param<string>>();
    expectTypeOf(lr.getThresholds).returns.toEqualTypeOf<readonly number[]>();
    expectTypeOf(lr.setMaxIter(3)).toEqualTypeOf<ToyRegression>();
  });

  it('gives two stages of one class distinct params', () => {
    const a = new ToyRegression();
    const b = new ToyRegression();
    expect(a.regParam.equals(b.regParam)).toBe(false);
    expect(() => a.set(b.regParam, 0.1)).toThrow(`Param ${b.uid}__regParam does not belong to ${a.uid}`);
    expect(() => a.getOrDefault(b.maxIter)).toThrow(/does not belong/);
    expect(() => a.isSet(b.maxIter)).toThrow(/does not belong/);
    expect(() => a.explainParam(b.maxIter)).toThrow(/does not belong/);
  });

  it('refuses a name declared twice and a name that is not an identifier', () => {
    class Twice extends withParams(Params, { tol }) {
      readonly again = this.declareParam('tol', tol);
    }
    expect(() => new Twice()).toThrow(/declares param tol twice/);
    class BadName extends Params {
      readonly p = this.declareParam(ParamKinds.int, 'max-iter', 'doc');
    }
    expect(() => new BadName()).toThrow(/invalid param name 'max-iter'/);
  });

  it('refuses param names that clash with members of the stage', () => {
    class Clash extends withParams(Params, { uid: ParamSpec.string('x') }) {}
    expect(() => new Clash()).toThrow(/param name 'uid' clashes with a member/);
    expect(() => withParams(Params, { OrDefault: ParamSpec.string('x') })).toThrow(/getOrDefault .* clashes/);
  });

  it('validates defaults when declared', () => {
    class BadDefault extends withParams(Params, { maxIter: maxIter.withDefault(-1) }) {}
    expect(() => new BadDefault()).toThrow(/parameter maxIter given invalid value -1 \(must be >= 0\)/);
  });

  it('works with declareParam alone, without withParams', () => {
    class Manual extends Params {
      readonly k = this.declareParam(ParamKinds.int, 'k', 'number of clusters', {
        default: 2,
        validator: ParamValidators.gt(1),
      });
      readonly tol = this.declareParam('tol', tol.withDefault(1e-4));
    }
    const m = new Manual();
    expect(m.getOrDefault(m.k)).toBe(2);
    expect(m.$(m.tol)).toBe(1e-4);
    expect(() => m.set(m.k, 1)).toThrow(`${m.uid} parameter k given invalid value 1 (must be > 1)`);
  });
});

describe('set, default, clear', () => {
  it('follows Spark: get is the set value only, getOrDefault falls back to the default', () => {
    const lr = new ToyRegression();
    expect(lr.isSet(lr.maxIter)).toBe(false);
    expect(lr.hasDefault(lr.maxIter)).toBe(true);
    expect(lr.isDefined(lr.maxIter)).toBe(true);
    expect(lr.get(lr.maxIter)).toBeUndefined();
    expect(lr.getDefault(lr.maxIter)).toBe(100);
    expect(lr.getMaxIter()).toBe(100);

    expect(lr.setMaxIter(10)).toBe(lr);
    expect(lr.isSet(lr.maxIter)).toBe(true);
    expect(lr.get(lr.maxIter)).toBe(10);
    expect(lr.getMaxIter()).toBe(10);
    expect(lr.getDefault(lr.maxIter)).toBe(100);

    expect(lr.clear(lr.maxIter)).toBe(lr);
    expect(lr.isSet(lr.maxIter)).toBe(false);
    expect(lr.getMaxIter()).toBe(100);
  });

  it('a param without default is undefined until set, and getOrDefault names it', () => {
    const lr = new ToyRegression();
    expect(lr.isDefined(lr.weightCol)).toBe(false);
    expect(lr.hasDefault(lr.weightCol)).toBe(false);
    expect(() => lr.getWeightCol()).toThrow('Failed to find a default value for weightCol');
    lr.setWeightCol('w');
    expect(lr.isDefined(lr.weightCol)).toBe(true);
    expect(lr.getWeightCol()).toBe('w');
    lr.clear(lr.weightCol);
    expect(() => lr.$(lr.weightCol)).toThrow(/weightCol/);
  });

  it('setters chain and the constructor takes an object of values', () => {
    const lr = new ToyRegression({ maxIter: 5, family: 'binomial', thresholds: [0.3, 0.7] })
      .setRegParam(0.1)
      .setElasticNetParam(0.5);
    expect([lr.getMaxIter(), lr.getFamily(), lr.getRegParam(), lr.getElasticNetParam()]).toEqual([
      5, 'binomial', 0.1, 0.5,
    ]);
    expect(lr.getThresholds()).toEqual([0.3, 0.7]);
    expect(lr.isSet(lr.tol)).toBe(false);
  });

  it('setParamsFromObject skips undefined and rejects unknown keys, listing the valid params', () => {
    const lr = new ToyRegression({ maxIter: undefined });
    expect(lr.isSet(lr.maxIter)).toBe(false);
    expect(() => new ToyRegression({ maxIters: 3 } as ParamValues<ToyRegression>)).toThrow(
      /ToyRegression_[0-9a-f]{12} has no param named 'maxIters'; valid params: bounds, .*maxIter, .*weightCol/,
    );
    expect(() => lr.setParamsFromObject(null as unknown as ParamValues<ToyRegression>)).toThrow(/must be an object/);
  });
});

describe('validation errors', () => {
  const cases: [string, (lr: ToyRegression) => unknown, RegExp][] = [
    ['regParam', (lr) => lr.setRegParam(-1), /given invalid value -1 \(must be >= 0\)$/],
    ['elasticNetParam', (lr) => lr.setElasticNetParam(1.5), /given invalid value 1.5 \(must be in \[0, 1\]\)$/],
    ['family', (lr) => lr.setFamily('poisson'),
      /given invalid value poisson \(must be one of \[auto, binomial, multinomial\]\)$/],
    ['maxIter', (lr) => lr.setMaxIter(2.5), /given invalid value 2.5 \(must be an int, got a number\)$/],
    ['maxIter', (lr) => lr.set(lr.maxIter, '10' as unknown as number), /given invalid value 10 \(must be an int, got a string\)$/],
    ['thresholds', (lr) => lr.setThresholds([0, 0, 1]),
      /given invalid value \[0, 0, 1\] \(must be an array of values >= 0 with at most one 0\)$/],
    ['threshold', (lr) => lr.setThreshold(NaN), /given invalid value NaN \(must be in \[0, 1\]\)$/],
    ['tol', (lr) => new ToyRegression({ tol: -1e-3 }).uid + lr.uid, /given invalid value -0.001 \(must be >= 0\)$/],
  ];
  it.each(cases)('%s: names the stage, the param, the value and what is allowed', (name, act, message) => {
    const lr = new ToyRegression();
    expect(() => act(lr)).toThrow(message);
    expect(() => act(lr)).toThrow(new RegExp(`^ToyRegression_[0-9a-f]{12} parameter ${name} given invalid value`));
  });

  it('leaves the previous value when a set is refused', () => {
    const lr = new ToyRegression({ regParam: 0.3 });
    expect(() => lr.setRegParam(-1)).toThrow();
    expect(lr.getRegParam()).toBe(0.3);
  });

  it('matches the documented example exactly', () => {
    const lr = new ToyRegression();
    expect(() => lr.setRegParam(-1)).toThrow(`${lr.uid} parameter regParam given invalid value -1 (must be >= 0)`);
  });
});

describe('copy', () => {
  it('keeps the uid and class and copies set values and defaults', () => {
    const lr = new ToyRegression({ maxIter: 7, weightCol: 'w' });
    const c = lr.copy();
    expect(c).toBeInstanceOf(ToyRegression);
    expect(c).not.toBe(lr);
    expect(c.uid).toBe(lr.uid);
    expect(c.getMaxIter()).toBe(7);
    expect(c.isSet(c.maxIter)).toBe(true);
    expect(c.isSet(c.tol)).toBe(false);
    expect(c.getTol()).toBe(1e-6);
    // Same uid, so the original's params are the copy's params.
    expect(c.getOrDefault(lr.weightCol)).toBe('w');
    expect(c.params.map(String)).toEqual(lr.params.map(String));
  });

  it('copies defaults too, e.g. ones loaded from metadata', () => {
    const lr = new ToyRegression().setParamsFromJSON({}, { maxIter: 50 });
    const c = lr.copy();
    expect(c.getMaxIter()).toBe(50);
    expect(c.isSet(c.maxIter)).toBe(false);
  });

  it('is independent of the original both ways', () => {
    const lr = new ToyRegression({ maxIter: 7 });
    const c = lr.copy();
    c.setMaxIter(8).setRegParam(0.2);
    lr.clear(lr.maxIter);
    expect(lr.getMaxIter()).toBe(100);
    expect(lr.isSet(lr.regParam)).toBe(false);
    expect(c.getMaxIter()).toBe(8);
  });

  it('applies extra over the values set, and ignores params of other stages in extra', () => {
    const lr = new ToyRegression({ maxIter: 7, regParam: 0.1 });
    const other = new ToyRegression();
    const c = lr.copy(ParamMap.of(lr.maxIter.w(20), other.tol.w(0.5)));
    expect(c.getMaxIter()).toBe(20);
    expect(c.getRegParam()).toBe(0.1);
    expect(c.isSet(c.tol)).toBe(false);
    expect(lr.getMaxIter()).toBe(7);
  });

  it('reproduces extractParamMap for any values set (property)', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            maxIter: fc.integer({ min: 0, max: 1000 }),
            regParam: fc.double({ min: 0, max: 10, noNaN: true }),
            family: fc.constantFrom('auto', 'binomial', 'multinomial'),
            weightCol: fc.string(),
            offset: fc.double(),
          },
          { requiredKeys: [] },
        ),
        (values) => {
          const lr = new ToyRegression(values);
          const c = lr.copy();
          expect(c.extractParamMap().toSeq().map((p) => [String(p.param), p.value])).toEqual(
            lr.extractParamMap().toSeq().map((p) => [String(p.param), p.value]),
          );
        },
      ),
    );
  });

  it('copyValues copies by name into another class, for the params it has', () => {
    const est = new ToyEstimator({ regParam: 0.4, maxIter: 3, featuresCol: 'f' });
    const model = est.fitModel(ParamMap.of(est.predictionCol.w('p')));
    expect(model.uid).not.toBe(est.uid);
    expect(model.getRegParam()).toBe(0.4);
    expect(model.getDefault(model.regParam)).toBe(0); // the estimator's default replaces the model's own
    expect(model.getFeaturesCol()).toBe('f');
    expect(model.getPredictionCol()).toBe('p');
    expect(model.getLabelCol()).toBe('label');
    expect(model.hasParam('maxIter')).toBe(false);
    expect(model.isSet(model.labelCol)).toBe(false);
  });
});

describe('extractParamMap', () => {
  it('is defaults < values set < extra (property)', () => {
    // For each of three params: 0 = default only, 1 = set, 2 = set and in extra.
    fc.assert(
      fc.property(fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2)), ([a, b, c]) => {
        const lr = new ToyRegression();
        const extra = new ParamMap();
        const params = [lr.maxIter, lr.regParam, lr.tol] as const;
        const choices = [a, b, c];
        params.forEach((p, i) => {
          if (choices[i]! >= 1) lr.set(p, 1 + i);
          if (choices[i] === 2) extra.put(p, 10 + i);
        });
        const map = lr.extractParamMap(extra);
        const defaults = [100, 0, 1e-6];
        params.forEach((p, i) => {
          expect(map.get(p)).toBe([defaults[i], 1 + i, 10 + i][choices[i]!]);
        });
        expect(map.contains(lr.weightCol)).toBe(false);
        expect(map.get(lr.featuresCol)).toBe('features');
      }),
    );
  });
});

describe('explainParams', () => {
  it("uses Spark's format: name: doc (default: x, current: y), sorted, one per line", () => {
    class Small extends withParams(Params, {
      maxIter: maxIter.withDefault(100),
      tol: tol.withDefault(1e-6),
      regParam: regParam.withDefault(0),
      weightCol,
      thresholds,
    }) {}
    const s = new Small().setMaxIter(10).setThresholds([0.25, 0.75]);
    expect(s.explainParams()).toBe(
      [
        'maxIter: maximum number of iterations (>= 0) (default: 100, current: 10)',
        'regParam: regularization parameter (>= 0) (default: 0.0)',
        `thresholds: ${thresholds.doc} (current: [0.25, 0.75])`,
        'tol: the convergence tolerance for iterative algorithms (>= 0) (default: 1.0E-6)',
        'weightCol: weight column name. If this is not set or empty, we treat all instance weights as 1.0 (undefined)',
      ].join('\n'),
    );
    expect(s.explainParam(s.tol)).toBe('tol: the convergence tolerance for iterative algorithms (>= 0) (default: 1.0E-6)');
  });
});

describe('persistence metadata JSON', () => {
  it("writes Spark's paramMap / defaultParamMap with NaN and infinities as strings", () => {
    const lr = new ToyRegression({ maxIter: 5, offset: -Infinity, bounds: [[NaN, 1], [Infinity, -2.5]] });
    expect(lr.paramMapJSON()).toEqual({ maxIter: 5, offset: '-Inf', bounds: [['NaN', 1], ['Inf', -2.5]] });
    expect(lr.defaultParamMapJSON()).toMatchObject({
      featuresCol: 'features',
      regParam: 0,
      tol: 1e-6,
      family: 'auto',
      seed: -1774303775,
      threshold: 0.5,
    });
    expect(Object.keys(lr.defaultParamMapJSON())).not.toContain('weightCol');
  });

  it('round-trips through JSON text to an equal stage (property)', () => {
    const double = fc.double().map((x) => (x === 0 ? 0 : x)); // JSON has no -0
    fc.assert(
      fc.property(
        fc.record(
          {
            maxIter: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
            offset: double,
            bounds: fc.array(fc.array(double, { maxLength: 3 }), { maxLength: 3 }),
            thresholds: fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { maxLength: 4 }),
            weightCol: fc.string(),
            seed: fc.maxSafeInteger(),
            featuresCol: fc.string(),
          },
          { requiredKeys: [] },
        ),
        (values) => {
          const lr = new ToyRegression(values);
          const text = JSON.stringify({ paramMap: lr.paramMapJSON(), defaultParamMap: lr.defaultParamMapJSON() });
          const meta = JSON.parse(text);
          const loaded = constructWithUid(lr.uid, () => new ToyRegression()).setParamsFromJSON(
            meta.paramMap,
            meta.defaultParamMap,
          );
          const pairs = (s: ToyRegression) => s.extractParamMap().toSeq().map((p) => [String(p.param), p.value]);
          expect(pairs(loaded)).toEqual(pairs(lr));
          for (const p of lr.params) expect(loaded.isSet(p)).toBe(lr.isSet(p));
        },
      ),
    );
  });

  it('loads defaults from metadata over the class defaults, and keeps class defaults when absent (Spark < 2.4)', () => {
    const a = new ToyRegression().setParamsFromJSON({ regParam: 0.5 }, { maxIter: 50 });
    expect(a.getMaxIter()).toBe(50);
    expect(a.isSet(a.maxIter)).toBe(false);
    expect(a.getRegParam()).toBe(0.5);
    const b = new ToyRegression().setParamsFromJSON({ regParam: 0.5 });
    expect(b.getMaxIter()).toBe(100);
  });

  it('fails clearly on unknown params, wrong types and invalid values; skipParams skips', () => {
    const lr = new ToyRegression();
    expect(() => lr.setParamsFromJSON({ nope: 1 })).toThrow(/has no param named 'nope'/);
    expect(() => lr.setParamsFromJSON({ maxIter: 'ten' })).toThrow(
      /Cannot decode ToyRegression_[0-9a-f]{12} parameter maxIter: expected an int, got "ten"/,
    );
    expect(() => lr.setParamsFromJSON({}, { tol: 'Infinity' })).toThrow(/parameter tol: expected a double/);
    expect(() => lr.setParamsFromJSON({ regParam: -1 })).toThrow(/regParam given invalid value -1/);
    expect(() => lr.setParamsFromJSON([] as never)).toThrow(/paramMap must be a JSON object/);
    lr.setParamsFromJSON({ nope: 1, maxIter: 4 }, {}, ['nope']);
    expect(lr.getMaxIter()).toBe(4);
  });
});
