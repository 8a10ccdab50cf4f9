// Reading and writing data for `quiver fit` and `quiver transform`: the format from the option or
// the path's extension; CSV with a header and inferred types.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { Session } from '../dataframe/session.js';
import { CliError } from './errors.js';

const FORMATS = ['parquet', 'csv', 'json'] as const;
export type DataFormat = (typeof FORMATS)[number];

export function formatOf(path: string, given: string | undefined, command: string): DataFormat {
  const f = (given ?? path.replace(/\/+$/, '').split('.').pop() ?? '').toLowerCase();
  if ((FORMATS as readonly string[]).includes(f)) return f as DataFormat;
  throw new CliError(`quiver ${command}: cannot tell the format of ${path}; give --format ${FORMATS.join('|')}`);
}

export function readData(spark: Session, path: string, format: DataFormat): Promise<DataFrame> {
  const reader = spark.read.format(format);
  return (format === 'csv' ? reader.option('header', 'true').option('inferSchema', 'true') : reader).load(path);
}

export async function writeData(df: DataFrame, path: string, format: DataFormat, overwrite: boolean): Promise<void> {
  const writer = df.write.format(format).mode(overwrite ? 'overwrite' : 'errorifexists');
  await (format === 'csv' ? writer.option('header', 'true') : writer).save(path);
}
