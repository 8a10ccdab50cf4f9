// `quiver fit --pipeline <file> --data <path> --out <model path>`: fits the pipeline the file
// describes on the data and saves the PipelineModel in Spark's layout.
import type { Session } from '../dataframe/session.js';
import { StageWriter } from '../persistence/index.js';
import { formatOf, readData } from './data-files.js';
import { readPipelineFile } from './pipeline-file.js';

export interface FitOptions { pipeline: string; data: string; out: string; format?: string; overwrite?: boolean }

export async function fit(spark: Session, o: FitOptions): Promise<string> {
  const pipeline = await readPipelineFile(o.pipeline);
  const df = await readData(spark, o.data, formatOf(o.data, o.format, 'fit'));
  const model = await pipeline.fit(df);
  const writer = new StageWriter(model);
  await (o.overwrite ? writer.overwrite() : writer).save(o.out);
  return `saved ${model.constructor.name} ${model.uid} (${model.stages.length} stages) to ${o.out}`;
}
