// `quiver transform --model <path> --data <path> --out <path>`: the saved model's transform of
// the data, written out (Parquet or JSON keep vectors; CSV cannot hold them).
import type { Session } from '../dataframe/session.js';
import { load } from '../persistence/index.js';
import type { Transformer } from '../pipeline/stage.js';
import { formatOf, readData, writeData } from './data-files.js';

export interface TransformOptions { model: string; data: string; out: string; format?: string; outFormat?: string; overwrite?: boolean }

export async function transform(spark: Session, o: TransformOptions): Promise<string> {
  const model = await load<Transformer>(o.model);
  const df = await readData(spark, o.data, formatOf(o.data, o.format, 'transform'));
  const out = model.transform(df);
  await writeData(out, o.out, formatOf(o.out, o.outFormat ?? 'parquet', 'transform'), o.overwrite ?? false);
  return `wrote ${out.columns.length} columns to ${o.out}`;
}
