// Persistence of the tuning stages in Spark's layout (`ValidatorParams.saveImpl`/`loadImpl`):
// metadata `paramMap` holds every param value (defaults included) except estimator, evaluator and
// estimatorParamMaps, plus `estimatorParamMaps` as a list of lists of {parent, name, value, isJson}
// (all strings); the estimator and evaluator in `estimator/` and `evaluator/`, stage-valued grid
// values in `epm_<name><n>/`, models' best model in `bestModel/`, sub-models in `subModels/`.
import type { Evaluator } from '../evaluation/evaluator.js';
import type { JsonValue } from '../pipeline/param.js';
import { ParamMap, type AnyParamPair } from '../pipeline/params-map.js';
import { Params } from '../pipeline/params.js';
import { Estimator, Model } from '../pipeline/stage.js';
import { Evaluator as EvaluatorClass } from '../evaluation/evaluator.js';
import { registerStage, type LoadContext, type SaveContext } from '../persistence/index.js';
import { ModelPersistenceError } from '../persistence/ml/errors.js';
import { CrossValidator, CrossValidatorModel } from './cross-validator.js';
import { TrainValidationSplit, TrainValidationSplitModel } from './train-validation-split.js';
import type { ValidatorLike } from './validator-params.js';

const SKIP = ['estimator', 'evaluator', 'estimatorParamMaps'];

/** Every stage reachable from `root` through param values (Spark's `MetaAlgorithmReadWrite.getUidMap`). */
export function uidMap(root: Params): Map<string, Params> {
  const out = new Map<string, Params>();
  const visit = (p: Params): void => {
    if (out.has(p.uid)) {
      if (out.get(p.uid) !== p) throw new Error(`${root.uid}: two different stages share uid ${p.uid}`);
      return;
    }
    out.set(p.uid, p);
    for (const param of p.params) {
      if (!p.isDefined(param)) continue;
      const value: unknown = p.getOrDefault(param);
      if (value instanceof Params) visit(value);
      else if (Array.isArray(value)) for (const v of value) if (v instanceof Params) visit(v);
    }
  };
  visit(root);
  return out;
}

/** Stage-valued grid entries in order, with the directory each is saved in (Spark's numbering). */
function nonJsonEntries(maps: readonly ParamMap[]): Map<AnyParamPair, string> {
  const out = new Map<AnyParamPair, string>();
  let n = 0;
  for (const m of maps) for (const pair of m) if (pair.value instanceof Params) out.set(pair, `epm_${pair.param.name}${n++}`);
  return out;
}

/** Spark's `validateParams`: every grid param must belong to the validator, its estimator or evaluator. */
function checkParamMaps(v: ValidatorLike): void {
  const known = uidMap(v);
  for (const m of v.getEstimatorParamMaps()) {
    for (const { param } of m) {
      if (!known.has(param.parent)) {
        throw new Error(
          `${v.uid}: saving requires all Params in estimatorParamMaps to apply to this validator, its Estimator, or ` +
            `its Evaluator. An extraneous Param was found: ${param.parent}__${param.name}`,
        );
      }
    }
  }
}

function paramMapJSON(v: ValidatorLike): Record<string, JsonValue> {
  checkParamMaps(v);
  const out: Record<string, JsonValue> = {};
  for (const param of v.params) {
    if (SKIP.includes(param.name) || !v.isDefined(param)) continue;
    out[param.name] = param.kind.toJSON(v.getOrDefault(param));
  }
  const maps = v.getEstimatorParamMaps();
  const dirs = nonJsonEntries(maps);
  out.estimatorParamMaps = maps.map((m) =>
    m.toSeq().map((pair) => {
      const dir = dirs.get(pair);
      return dir !== undefined
        ? { parent: pair.param.parent, name: pair.param.name, value: JSON.stringify(dir), isJson: 'false' }
        : { parent: pair.param.parent, name: pair.param.name, value: pair.param.jsonEncode(pair.value), isJson: 'true' };
    }),
  );
  return out;
}

async function saveValidator(v: ValidatorLike, out: SaveContext): Promise<void> {
  for (const [pair, dir] of nonJsonEntries(v.getEstimatorParamMaps())) await out.saveStage(pair.value as Params, dir);
  await out.saveStage(v.getEvaluator(), 'evaluator');
  await out.saveStage(v.getEstimator(), 'estimator');
}

interface Loaded {
  estimator: Estimator;
  evaluator: Evaluator;
  maps: ParamMap[];
}

const isStr = (x: unknown): x is string => typeof x === 'string';

async function loadValidator(ctx: LoadContext): Promise<Loaded> {
  const evaluator = await ctx.loadStage('evaluator');
  const estimator = await ctx.loadStage('estimator');
  if (!(evaluator instanceof EvaluatorClass)) throw new ModelPersistenceError(ctx.path, `evaluator/ holds ${evaluator.uid}, not an Evaluator`);
  if (!(estimator instanceof Estimator)) throw new ModelPersistenceError(ctx.path, `estimator/ holds ${estimator.uid}, not an Estimator`);
  const known = new Map([[evaluator.uid, evaluator as Params], ...uidMap(estimator)]);
  const raw = ctx.metadata.params.estimatorParamMaps;
  if (!Array.isArray(raw)) {
    throw new ModelPersistenceError(ctx.path, `corrupt metadata: paramMap.estimatorParamMaps must be a list of lists, got ${JSON.stringify(raw) ?? 'nothing'}`);
  }
  const maps: ParamMap[] = [];
  for (const [i, entries] of (raw as JsonValue[]).entries()) {
    if (!Array.isArray(entries)) throw new ModelPersistenceError(ctx.path, `corrupt metadata: estimatorParamMaps entry ${JSON.stringify(entries)} is not a list`);
    const map = new ParamMap();
    for (const [j, e] of (entries as JsonValue[]).entries()) {
      const info = e as Record<string, JsonValue>;
      if (typeof info !== 'object' || info === null || !isStr(info.parent) || !isStr(info.name) || !isStr(info.value)) {
        throw new ModelPersistenceError(ctx.path, `corrupt metadata: estimatorParamMaps entry ${JSON.stringify(e)} needs string parent, name and value`);
      }
      const stage = known.get(info.parent);
      if (!stage) {
        throw new ModelPersistenceError(ctx.path, `estimatorParamMaps refers to stage ${info.parent} (param ${info.name}), which is neither the estimator, one of its stages, nor the evaluator`);
      }
      const param = stage.getParam(info.name);
      const isJson = info.isJson === undefined || info.isJson === 'true' || info.isJson === true;
      if (isJson) {
        map.put(param, param.jsonDecode(info.value));
      } else {
        const rel = JSON.parse(info.value) as unknown;
        if (!isStr(rel)) throw new ModelPersistenceError(ctx.path, `corrupt metadata: non-JSON value of ${info.name} must be a JSON string path, got ${info.value}`);
        map.put(param, await ctx.loadStage(rel, `paramMap.estimatorParamMaps[${i}][${j}].value`));
      }
    }
    maps.push(map);
  }
  return { estimator, evaluator, maps };
}

/** Metrics as Spark's json4s writes doubles; NaN and infinities as strings. */
const metricsJSON = (xs: readonly number[]): JsonValue =>
  xs.map((x) => (Number.isNaN(x) ? 'NaN' : x === Infinity ? 'Infinity' : x === -Infinity ? '-Infinity' : x));

function readMetrics(ctx: LoadContext, key: string, required: boolean): number[] {
  const raw = ctx.metadata.json[key];
  if (raw === undefined && !required) return [];
  if (!Array.isArray(raw)) throw new ModelPersistenceError(ctx.path, `corrupt metadata: ${key} must be a list of doubles, got ${JSON.stringify(raw) ?? 'nothing'}`);
  return (raw as JsonValue[]).map((x) => {
    if (typeof x === 'number') return x;
    if (x === 'NaN') return NaN;
    if (x === 'Infinity' || x === 'Inf') return Infinity;
    if (x === '-Infinity' || x === '-Inf') return -Infinity;
    throw new ModelPersistenceError(ctx.path, `corrupt metadata: ${key} holds ${JSON.stringify(x)}, not a double`);
  });
}

function persistSubModels(out: SaveContext, has: boolean, uid: string): boolean {
  const opt = out.option('persistSubModels');
  if (opt === undefined) return has;
  const flag = opt.toLowerCase();
  if (flag !== 'true' && flag !== 'false') throw new Error(`${uid}: option persistSubModels must be true or false, got ${opt}`);
  if (flag === 'true' && !has) {
    throw new Error(`${uid}: when persisting tuning models, you can only set persistSubModels to true if the tuning was done with collectSubModels set to true. To save the sub-models, fit with collectSubModels = true`);
  }
  return has; // metadata (written from the stage alone) already says `has`; see persistSubModels in extraMetadata
}

async function loadModel(ctx: LoadContext, what: string): Promise<Model> {
  const m = await ctx.loadStage(what);
  if (!(m instanceof Model)) throw new ModelPersistenceError(ctx.path, `${what}/ holds ${m.uid}, not a Model`);
  return m;
}

function setLoaded<P extends Params>(stage: P, loaded: Loaded): P {
  const v = stage as unknown as ValidatorLike;
  v.set(v.getParam('estimator'), loaded.estimator);
  v.set(v.getParam('evaluator'), loaded.evaluator);
  v.set(v.getParam('estimatorParamMaps'), loaded.maps);
  return stage;
}

registerStage<CrossValidator>(CrossValidator, {
  paramMap: paramMapJSON,
  save: saveValidator,
  async load(ctx) {
    const loaded = await loadValidator(ctx);
    return setLoaded(ctx.construct(() => new CrossValidator(), ['estimatorParamMaps']), loaded);
  },
});

registerStage<TrainValidationSplit>(TrainValidationSplit, {
  paramMap: paramMapJSON,
  save: saveValidator,
  async load(ctx) {
    const loaded = await loadValidator(ctx);
    return setLoaded(ctx.construct(() => new TrainValidationSplit(), ['estimatorParamMaps']), loaded);
  },
});

registerStage<CrossValidatorModel>(CrossValidatorModel, {
  paramMap: paramMapJSON,
  extraMetadata: (m) => ({ avgMetrics: metricsJSON(m.avgMetrics), stdMetrics: metricsJSON(m.stdMetrics), persistSubModels: m.hasSubModels() }),
  async save(m, out) {
    await saveValidator(m, out);
    await out.saveStage(m.bestModel, 'bestModel');
    if (persistSubModels(out, m.hasSubModels(), m.uid)) {
      for (const [fold, models] of m.subModels.entries()) {
        for (const [index, sub] of models.entries()) await out.saveStage(sub, `subModels/fold${fold}/${index}`);
      }
    }
  },
  async load(ctx) {
    const loaded = await loadValidator(ctx);
    const bestModel = await loadModel(ctx, 'bestModel');
    const model = setLoaded(
      ctx.construct(() => new CrossValidatorModel(bestModel, readMetrics(ctx, 'avgMetrics', true), readMetrics(ctx, 'stdMetrics', false)), ['estimatorParamMaps']),
      loaded,
    );
    if (ctx.metadata.json.persistSubModels === true) {
      const subModels: Model[][] = [];
      for (let fold = 0; fold < model.getNumFolds(); fold++) {
        const models: Model[] = [];
        for (let i = 0; i < loaded.maps.length; i++) models.push(await loadModel(ctx, `subModels/fold${fold}/${i}`));
        subModels.push(models);
      }
      model.setSubModels(subModels);
    }
    return model;
  },
});

registerStage<TrainValidationSplitModel>(TrainValidationSplitModel, {
  paramMap: paramMapJSON,
  extraMetadata: (m) => ({ validationMetrics: metricsJSON(m.validationMetrics), persistSubModels: m.hasSubModels() }),
  async save(m, out) {
    await saveValidator(m, out);
    await out.saveStage(m.bestModel, 'bestModel');
    if (persistSubModels(out, m.hasSubModels(), m.uid)) {
      for (const [index, sub] of m.subModels.entries()) await out.saveStage(sub, `subModels/${index}`);
    }
  },
  async load(ctx) {
    const loaded = await loadValidator(ctx);
    const bestModel = await loadModel(ctx, 'bestModel');
    const model = setLoaded(
      ctx.construct(() => new TrainValidationSplitModel(bestModel, readMetrics(ctx, 'validationMetrics', true)), ['estimatorParamMaps']),
      loaded,
    );
    if (ctx.metadata.json.persistSubModels === true) {
      model.setSubModels(await Promise.all(loaded.maps.map((_, i) => loadModel(ctx, `subModels/${i}`))));
    }
    return model;
  },
});
