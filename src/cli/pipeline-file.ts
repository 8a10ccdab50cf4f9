// The pipeline file of `quiver fit`: JSON naming each stage by class (Spark's full name, or the
// short one) with its params, e.g.
//   { "stages": [ { "class": "VectorAssembler", "params": { "inputCols": ["a", "b"], "outputCol": "features" } },
//                 { "class": "org.apache.spark.ml.classification.LogisticRegression", "params": { "maxIter": 20 } } ] }
import { readFile } from 'node:fs/promises';

import { persistenceForClassName, registeredClassNames } from '../persistence/index.js';
import { Pipeline } from '../pipeline/pipeline.js';
import type { PipelineStage } from '../pipeline/stage.js';
import { CliError } from './errors.js';

export async function readPipelineFile(path: string): Promise<Pipeline> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`quiver fit: cannot read the pipeline file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (error) {
    throw new CliError(`quiver fit: the pipeline file ${path} is not JSON: ${(error as Error).message}`);
  }
  const stages = (spec as { stages?: unknown })?.stages;
  if (!Array.isArray(stages) || stages.length === 0) throw new CliError(`quiver fit: ${path}: expected { "stages": [ { "class": ..., "params": {...} }, ... ] }`);
  return new Pipeline({ stages: stages.map((s, i) => stageOf(s, `${path}: stages[${i}]`)) });
}

function stageOf(spec: unknown, where: string): PipelineStage {
  const { class: name, params = {} } = (spec ?? {}) as { class?: unknown; params?: unknown };
  if (typeof name !== 'string') throw new CliError(`quiver fit: ${where}: "class" must name a stage, e.g. "VectorAssembler"`);
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new CliError(`quiver fit: ${where}: "params" must be an object`);
  const known = registeredClassNames();
  const className = known.includes(name) ? name : known.find((k) => k.endsWith(`.${name}`));
  const entry = className === undefined ? undefined : persistenceForClassName(className);
  if (!entry) throw new CliError(`quiver fit: ${where}: unknown stage class '${name}'; known: ${known.map((k) => k.slice(k.lastIndexOf('.') + 1)).join(', ')}`);
  const Cls = entry.cls as unknown as new (params: object) => PipelineStage;
  try {
    return new Cls(params);
  } catch (error) {
    throw new CliError(`quiver fit: ${where} (${name}): ${(error as Error).message}`);
  }
}
