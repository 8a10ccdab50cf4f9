/**
 * Run in a fresh process by ml-s3.test.ts: loads a saved PipelineModel from S3 (settings from the
 * session, credentials from the environment), applies it to the CSV file given and prints the rows as JSON.
 *
 *   tsx ml-load-child.ts <modelPath> <endpoint> <csvPath>
 */
import { Session } from '../../src/dataframe/session.js';
import '../../src/feature/index.js'; // registers the feature stages, as importing 'quiver' does
import { load } from '../../src/persistence/index.js';
import type { PipelineModel } from '../../src/pipeline/pipeline.js';
import { plainRows } from './ml-rows.js';

const [path, endpoint, csvPath] = process.argv.slice(2) as [string, string, string];
const spark = Session.builder()
  .master('local[1]')
  .config('quiver.s3.endpoint', endpoint)
  .config('quiver.s3.forcePathStyle', true)
  .config('quiver.s3.region', 'us-east-1')
  .getOrCreate();
try {
  const model = await load<PipelineModel>(path);
  const df = await spark.read.option('header', true).option('inferSchema', true).csv(csvPath);
  const rows = await model.transform(df).collect();
  process.stdout.write(JSON.stringify({ stages: model.stages.map((s) => s.constructor.name), rows: plainRows(rows) }));
} finally {
  await spark.stop();
}
