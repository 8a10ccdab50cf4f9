// Planning a JSON read on the driver: options, the schema (given, or inferred by a pass over every
// split on the executors, as Spark's samplingRatio=1.0 default), and one plan per split.
import type { EngineContext } from '../../engine/context.js';
import type { PartitionPlan } from '../../engine/protocol.js';
import type { EmptyPlan } from '../plan.js';
import { isNested, type StructField, type StructType } from '../types.js';
import { isLocal, type DataFile } from './files.js';
import { JSON_INFER, type TextScanParams } from './io.kernels.js';
import { jsonSchemaOf, mergeJsonTypes, type JsonObjectType } from './json-infer.js';
import { resolveJsonOptions, type JsonOptions } from './json-options.js';
import { nestedJsonColumn, nullableSchema } from './json-parse.js';
import { byteSetting } from './options.js';
import { emptyPlan, noData, splitFile, type ReadContext } from './planning.js';
import type { FilePlan } from './sources.js';

const MB = 1 << 20;

export function jsonOptionsOf(ctx: ReadContext): JsonOptions {
  return resolveJsonOptions(ctx.opts, ctx.conf);
}

export async function planJson(ctx: ReadContext, all: DataFile[], engine: EngineContext): Promise<{ schema: StructType; plans: PartitionPlan[] }> {
  const options = jsonOptionsOf(ctx);
  const files = all.filter((f) => f.size > 0);
  const splitBytes = byteSetting(ctx.opts, ctx.conf, 'quiver.json.splitBytes', 64 * MB);
  // A multiLine document cannot be cut; S3 objects are read whole (no ranged reads yet).
  const splits = files.flatMap((f) => splitFile(f, options.multiLine || !isLocal(f.path) ? Infinity : splitBytes));
  let schema: StructType;
  if (ctx.userSchema) {
    schema = nullableSchema(ctx.userSchema);
    const nested = schema.fields.find((f) => isNested(f.type));
    if (nested) throw nestedJsonColumn(nested);
  } else {
    if (splits.length === 0) throw noData(ctx, 'JSON');
    const empty: EmptyPlan = { kind: 'empty', fields: [] };
    const params = (i: number): TextScanParams & { options: JsonOptions } => ({
      path: splits[i].file.path, start: splits[i].start, end: splits[i].end, size: splits[i].file.size, options,
      ...(ctx.s3 ? { s3: ctx.s3 } : {}),
    });
    const partials = await engine.runJob<JsonObjectType>(JSON_INFER, splits.map(() => empty), params);
    const root = partials.reduce((acc, t) => mergeJsonTypes(acc, t) as JsonObjectType, { fields: new Map() } as JsonObjectType);
    schema = jsonSchemaOf(root, options);
    if (schema.length === 0) {
      throw new Error(`Unable to infer schema for JSON: the records in ${ctx.shown} have no fields ` +
        `(every line is blank, '{}' or null-only with dropFieldIfAllNull); specify the schema with .schema(...)`);
    }
  }
  if (splits.length === 0) return { schema, plans: [emptyPlan(schema)] };
  const plans = splits.map(({ file, start, end }): FilePlan => ({
    kind: 'file', format: 'json', path: file.path, fields: schema.fields as StructField[], schemaSource: file.path,
    ...(ctx.s3 ? { s3: ctx.s3 } : {}),
    json: { options, start, end, size: file.size },
  }));
  return { schema, plans };
}
