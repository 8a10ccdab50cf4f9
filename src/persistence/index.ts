/**
 * Persistence: the FileSystem (local and S3) and ML model save/load in Spark's layout.
 *
 * A stage author declares how a stage persists, once, beside the class:
 *
 *   export class StandardScalerModel extends ... {
 *     static readonly sparkClassName = 'org.apache.spark.ml.feature.StandardScalerModel';
 *     static load(path: string, options?: LoadOptions) { return loadStage(StandardScalerModel, path, options); }
 *   }
 *   registerStage(StandardScalerModel, {
 *     save: (model, out) => out.writeData(dataTable({ std: vectorColumn([model.std]), mean: vectorColumn([model.mean]) })),
 *     async load(ctx) {
 *       const data = (await ctx.readData()).requireRows(1);
 *       return ctx.construct(() => new StandardScalerModel(data.vector('std'), data.vector('mean')));
 *     },
 *   });
 *
 * A params-only stage needs only `registerStage(VectorAssembler)` (and a static `sparkClassName`).
 */
export * from '../fs/index.js';
export {
  registerStage, persistenceOf, persistenceForClassName, registeredClassNames, classNameOf,
  type StagePersistence, type StageClass, type RegisteredStage,
} from './ml/class-registry.js';
export type { SaveContext, LoadContext } from './ml/contexts.js';
export { ModelPersistenceError } from './ml/errors.js';
export {
  SPARK_VERSION, metadataJSON, writeMetadata, readMetadata, parseMetadata, setParamsFromMetadata, type Metadata,
} from './ml/metadata.js';
export { VECTOR_UDT, MATRIX_UDT, vectorToStruct, structToVector, matrixToStruct, structToMatrix } from './ml/udt.js';
export {
  dataTable, doubleColumn, intColumn, longColumn, booleanColumn, stringColumn, doubleArrayColumn, intArrayColumn,
  stringArrayColumn, stringArrayArrayColumn, vectorColumn, matrixColumn, vectorArrayColumn, matrixArrayColumn, type DataColumn, type UdtOptions,
} from './ml/data-columns.js';
export { ModelData } from './ml/model-data.js';
export { writeDataDir, readDataDir } from './ml/parquet-data.js';
export { s3ConfigOf, openFileSystem, type FileSystemOptions, type SessionSettings } from './ml/location.js';
export { PathExistsError } from './ml/publish.js';
export { StageWriter, writeStage } from './ml/writer.js';
export { load, loadStage, readStageAt, type LoadOptions } from './ml/reader.js';
export { stagePath } from './ml/pipeline-io.js';
