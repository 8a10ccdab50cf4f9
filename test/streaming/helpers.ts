// Shared pieces of the streaming tests: a two-column schema, rows compared as sorted JSON, and the
// batch reference (the same transformation run as a batch DataFrame over every row added so far).
import { IntegerType, StringType, StructType, type DataFrame, type Row, type Session } from '../../src/index.js';

export const schema = new StructType([
  { name: 'k', type: StringType, nullable: true },
  { name: 'v', type: IntegerType, nullable: true },
]);

/** Rows in a canonical order (sorted by their JSON), so that a sink's order does not matter. */
export function sorted(rows: readonly Row[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

/** The reference: `build` over a batch DataFrame of all the rows. */
export async function batchReference(spark: Session, rows: readonly Row[], build: (df: DataFrame) => DataFrame): Promise<Row[]> {
  return build(spark.createDataFrame(rows, { schema, numPartitions: 2 })).collect();
}
