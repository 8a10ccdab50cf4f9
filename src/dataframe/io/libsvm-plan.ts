// Planning a LibSVM read on the driver: numFeatures (given, or found by a pass over every split on
// the executors, as Spark does), the fixed schema, and one plan per split.
import type { EngineContext } from '../../engine/context.js';
import type { PartitionPlan } from '../../engine/protocol.js';
import type { EmptyPlan } from '../plan.js';
import type { StructField, StructType } from '../types.js';
import { isLocal, type DataFile } from './files.js';
import { LIBSVM_SCAN, type TextScanParams } from './io.kernels.js';
import { libsvmSchema, type LibsvmScan, type LibsvmVectorType } from './libsvm.js';
import { byteSetting } from './options.js';
import { emptyPlan, splitFile, type ReadContext } from './planning.js';
import type { FilePlan } from './sources.js';

const MB = 1 << 20;

export interface LibsvmReadOptions {
  /** The vector size; found by a pass over the data when absent (or not positive), as Spark. */
  numFeatures?: number;
  /** 'sparse' (default) or 'dense' vectors. */
  vectorType?: LibsvmVectorType;
}

/** The numFeatures (null = find it) and vectorType options, validated. */
export function libsvmOptionsOf(ctx: ReadContext): { numFeatures: number | null; vectorType: LibsvmVectorType } {
  if (ctx.userSchema) throw new Error("The libsvm source has a fixed schema (label double, features vector); don't pass .schema(...), set numFeatures instead");
  const raw = ctx.opts.get('numFeatures');
  let numFeatures: number | null = null;
  if (raw !== undefined) {
    const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
    if (typeof raw === 'boolean' || !Number.isInteger(n) || n > 2147483647) {
      throw new Error(`Invalid libsvm option numFeatures=${JSON.stringify(raw)}: must be an integer (the vector size)`);
    }
    numFeatures = n > 0 ? n : null; // Spark: not positive means "find it"
  }
  const vt = String(ctx.opts.get('vectorType') ?? 'sparse').toLowerCase();
  if (vt !== 'sparse' && vt !== 'dense') throw new Error(`Invalid libsvm option vectorType=${JSON.stringify(ctx.opts.get('vectorType'))}: must be 'sparse' or 'dense'`);
  return { numFeatures, vectorType: vt };
}

export async function planLibsvm(ctx: ReadContext, all: DataFile[], engine: EngineContext): Promise<{ schema: StructType; plans: PartitionPlan[] }> {
  const { numFeatures: given, vectorType } = libsvmOptionsOf(ctx);
  const files = all.filter((f) => f.size > 0);
  const splitBytes = byteSetting(ctx.opts, ctx.conf, 'quiver.libsvm.splitBytes', 64 * MB);
  const splits = files.flatMap((f) => splitFile(f, isLocal(f.path) ? splitBytes : Infinity));
  let numFeatures = given;
  if (numFeatures === null) {
    const empty: EmptyPlan = { kind: 'empty', fields: [] };
    const params = (i: number): TextScanParams => ({
      path: splits[i].file.path, start: splits[i].start, end: splits[i].end, size: splits[i].file.size, ...(ctx.s3 ? { s3: ctx.s3 } : {}),
    });
    const scans = splits.length ? await engine.runJob<LibsvmScan>(LIBSVM_SCAN, splits.map(() => empty), params) : [];
    if (scans.every((s) => s.rows === 0)) {
      throw new Error(`Cannot determine numFeatures for libsvm data in ${ctx.shown}: it holds no records; set the numFeatures option`);
    }
    // Spark's computeNumFeatures: the largest 0-based index (0 when no record has features) plus one.
    numFeatures = Math.max(0, ...scans.map((s) => s.maxIndex)) + 1;
  }
  const schema = libsvmSchema(numFeatures, vectorType);
  if (splits.length === 0) return { schema, plans: [emptyPlan(schema)] };
  const plans = splits.map(({ file, start, end }): FilePlan => ({
    kind: 'file', format: 'libsvm', path: file.path, fields: schema.fields as StructField[], schemaSource: file.path,
    ...(ctx.s3 ? { s3: ctx.s3 } : {}),
    libsvm: { start, end, size: file.size, numFeatures: numFeatures!, vectorType },
  }));
  return { schema, plans };
}
