// spark.read: placeholder until the file readers land in this module.
import type { SessionLike } from '../dataframe.js';

export class DataFrameReader {
  constructor(readonly session: SessionLike) {}
}
