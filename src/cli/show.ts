// `quiver show <model path>`: what a saved stage is — its class, uid, Spark version and params
// from the metadata, and for a pipeline each stage in order.
import { load, openFileSystem, readMetadata } from '../persistence/index.js';
import { PipelineModel, Pipeline } from '../pipeline/pipeline.js';
import type { PipelineStage } from '../pipeline/stage.js';

export async function show(path: string): Promise<string> {
  const { fs, close } = openFileSystem(path);
  let metadata;
  try {
    metadata = await readMetadata(fs, path);
  } finally {
    close();
  }
  const stage = await load<PipelineStage>(path);
  const lines = [
    `${metadata.className} (uid ${metadata.uid}), Spark ${metadata.sparkVersion} layout, saved ${new Date(metadata.timestamp).toISOString()}`,
    ...Object.entries(metadata.params).map(([k, v]) => `  ${k}: ${JSON.stringify(jsonable(v))}`),
  ];
  const stages = stage instanceof PipelineModel || stage instanceof Pipeline ? (stage instanceof PipelineModel ? stage.stages : stage.getStages()) : [];
  stages.forEach((s, i) => {
    lines.push(`  stage ${i}: ${s.constructor.name} (uid ${s.uid})`);
    for (const p of s.params) if (s.isDefined(p)) lines.push(`    ${p.name}: ${JSON.stringify(jsonable(s.getOrDefault(p)))}`);
  });
  return lines.join('\n');
}

function jsonable(v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : Array.isArray(v) ? v.map(jsonable) : v;
}
