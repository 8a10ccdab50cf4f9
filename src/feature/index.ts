// Feature transformers (Spark's org.apache.spark.ml.feature) and the ML attributes they read and write.
export { VectorAssembler } from './vector-assembler.js';
export { VectorSizeHint } from './vector-size-hint.js';
export { StandardScaler, StandardScalerModel } from './standard-scaler.js';
export { StringIndexer, StringIndexerModel, STRING_ORDER_TYPES, type StringOrderType } from './string-indexer.js';
export { OneHotEncoder, OneHotEncoderModel } from './one-hot-encoder.js';
export { Imputer, ImputerModel, type ImputerStrategy } from './imputer.js';
export {
  attributeOf, attributeMetadata, attributeGroupOf, attributeGroupMetadata, vectorSizeOf, numValuesOf, categoricalFeatures,
  type Attribute, type AttributeGroup, type AttributeType,
} from './attributes.js';
