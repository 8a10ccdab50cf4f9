/**
 * Spark's `DefaultParamsWriter.saveMetadata` / `DefaultParamsReader.loadMetadata`: one JSON line in
 * `metadata/part-00000` (plus an empty `metadata/_SUCCESS`), in Spark's key order:
 * `class, timestamp, sparkVersion, uid, paramMap, defaultParamMap`, then model-specific keys.
 */
import type { JsonValue } from '../../pipeline/param.js';
import { parseJSONExact, stringifyJSONExact } from '../../pipeline/json-exact.js';
import type { Params } from '../../pipeline/params.js';
import { isFileSystemError } from '../../fs/errors.js';
import type { FileSystem } from '../../fs/filesystem.js';
import { ModelPersistenceError, atPath } from './errors.js';

/** The Spark version written in metadata: the format we follow. */
export const SPARK_VERSION = '3.5.0';

export const METADATA_DIR = 'metadata';
export const METADATA_FILE = 'part-00000';
export const SUCCESS_FILE = '_SUCCESS';

const BASIC_KEYS = ['class', 'timestamp', 'sparkVersion', 'uid', 'paramMap', 'defaultParamMap'] as const;

/** @inline */
type JsonObject = Record<string, JsonValue>;

/** Parsed metadata (Spark's `DefaultParamsReader.Metadata`). */
export interface Metadata {
  readonly className: string;
  readonly uid: string;
  readonly timestamp: number;
  readonly sparkVersion: string;
  /** `paramMap`: the values the user set. */
  readonly params: JsonObject;
  /** `defaultParamMap`; absent in metadata written before Spark 2.4. */
  readonly defaultParams: JsonObject | undefined;
  /** The whole JSON object, model-specific keys included (e.g. `numFeatures`). */
  readonly json: JsonObject;
  /** The JSON line as read. */
  readonly text: string;
}

export interface MetadataOptions {
  /** Replaces the stage's set params (Spark's `paramMap` argument; Pipeline writes `{stageUids}`). */
  paramMap?: JsonObject;
  /** Keys added after the basic ones. */
  extra?: JsonObject;
  /** Default: now. */
  timestamp?: number;
}

/** The metadata JSON line of a stage (Spark's `getMetadataToSave`). */
export function metadataJSON(stage: Params, className: string, options: MetadataOptions = {}): string {
  const metadata: JsonObject = {
    class: className,
    timestamp: options.timestamp ?? Date.now(),
    sparkVersion: SPARK_VERSION,
    uid: stage.uid,
    paramMap: markDoubles(stage, options.paramMap ?? stage.paramMapJSON()),
    defaultParamMap: markDoubles(stage, stage.defaultParamMapJSON()),
  };
  for (const [key, value] of Object.entries(options.extra ?? {})) {
    if ((BASIC_KEYS as readonly string[]).includes(key)) {
      throw new Error(`${stage.uid}: extra metadata key '${key}' clashes with a key every metadata has`);
    }
    metadata[key] = value;
  }
  // Longs beyond 2^53 (bigints) are written as bare integers, as json4s writes Spark's longs.
  return stringifyJSONExact(metadata)!.replace(DOUBLE_TEXT, '$1');
}

// Spark's DoubleParam (and double[] params) decode only JSON doubles: `0` is JInt and fails with
// "Cannot decode JInt(0) to Double", so integral doubles must be written `0.0` as json4s does.
// JSON.stringify cannot write that; such values go through it as marked strings, unwrapped after.
const DOUBLE_MARK = '\u{E000}double:';
const DOUBLE_TEXT = /"\u{E000}double:([^"]*)"/gu;

function markDouble(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(markDouble);
  if (typeof value === 'number' && Number.isInteger(value) && !/[e.]/.test(String(value))) return `${DOUBLE_MARK}${value}.0`;
  return value;
}

function markDoubles(stage: Params, map: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(map)) {
    const kind = stage.hasParam(name) ? stage.getParam(name).kind.name : '';
    out[name] = kind.startsWith('double') ? markDouble(value) : value;
  }
  return out;
}

/** Writes `<dir>/metadata/part-00000` (the JSON line and a newline, as saveAsTextFile) then `_SUCCESS`. */
export async function writeMetadata(fs: FileSystem, dir: string, json: string): Promise<void> {
  await fs.writeFile(fs.join(dir, METADATA_DIR, METADATA_FILE), `${json}\n`);
  await fs.writeFile(fs.join(dir, METADATA_DIR, SUCCESS_FILE), '');
}

/**
 * Reads and parses `<dir>/metadata`. Fails naming `dir` and the problem: a missing path, missing,
 * empty or garbled metadata, or (with `expectedClassName`) another class.
 */
export async function readMetadata(fs: FileSystem, dir: string, expectedClassName?: string): Promise<Metadata> {
  let exists: boolean;
  try {
    exists = await fs.exists(dir);
  } catch (error) {
    throw atPath(dir, 'cannot read the saved stage', error);
  }
  if (!exists) throw new ModelPersistenceError(dir, 'nothing is saved here: the path does not exist');
  const file = await metadataFile(fs, dir);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    throw atPath(dir, `cannot read ${METADATA_DIR}/${METADATA_FILE}`, error);
  }
  return parseMetadata(dir, new TextDecoder().decode(bytes), expectedClassName);
}

/** Parses the first line of a metadata file (Spark reads `textFile(...).first()`). */
export function parseMetadata(dir: string, text: string, expectedClassName?: string): Metadata {
  const line = text.split('\n', 1)[0]!.trim();
  const problem = (what: string): ModelPersistenceError =>
    new ModelPersistenceError(dir, `corrupt metadata (${METADATA_DIR}/${METADATA_FILE}): ${what}`);
  if (line === '') throw problem('the file is empty');
  let json: unknown;
  try {
    // Exact for Spark's 64-bit longs (PySpark's default seeds), which JSON.parse would round.
    json = parseJSONExact(line);
  } catch (error) {
    throw problem(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw problem('not a JSON object');
  const o = json as JsonObject;
  const field = <T>(key: string, ok: (v: unknown) => v is T, what: string): T => {
    if (!ok(o[key])) throw problem(`"${key}" must be ${what}, got ${stringifyJSONExact(o[key]) ?? 'nothing'}`);
    return o[key] as T;
  };
  const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';
  const isNumber = (v: unknown): v is number => typeof v === 'number';
  const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
  const className = field('class', isString, 'a class name');
  if (expectedClassName !== undefined && className !== expectedClassName) {
    throw new ModelPersistenceError(dir, `expected class ${expectedClassName} but found ${className}`);
  }
  return {
    className,
    uid: field('uid', isString, 'a uid'),
    timestamp: o.timestamp === undefined ? 0 : field('timestamp', isNumber, 'a number'),
    sparkVersion: o.sparkVersion === undefined ? '' : field('sparkVersion', isString, 'a version string'),
    params: field('paramMap', isObject, 'a JSON object'),
    defaultParams: o.defaultParamMap === undefined ? undefined : field('defaultParamMap', isObject, 'a JSON object'),
    json: o,
    text: line,
  };
}

/** Restores a stage's params and defaults from metadata (Spark's `Metadata.getAndSetParams`). */
export function setParamsFromMetadata<T extends Params>(dir: string, stage: T, metadata: Metadata, skipParams: readonly string[] = []): T {
  try {
    return stage.setParamsFromJSON(metadata.params, metadata.defaultParams, skipParams);
  } catch (error) {
    throw atPath(dir, `cannot restore the params of ${metadata.uid} (${metadata.className})`, error);
  }
}

/** `metadata/part-00000`, else the first `part-*` file Spark-compatible writers left there. */
async function metadataFile(fs: FileSystem, dir: string): Promise<string> {
  const metadataDir = fs.join(dir, METADATA_DIR);
  let names: string[];
  try {
    names = await fs.list(metadataDir);
  } catch (error) {
    if (isFileSystemError(error, 'not-found') || isFileSystemError(error, 'not-a-directory')) {
      throw new ModelPersistenceError(
        dir,
        `not a saved stage, or an incomplete save: ${METADATA_DIR}/${METADATA_FILE} is missing`,
      );
    }
    throw atPath(dir, `cannot list ${METADATA_DIR}/`, error);
  }
  const name = names.includes(METADATA_FILE) ? METADATA_FILE : names.find((n) => n.startsWith('part-'));
  if (name === undefined) {
    throw new ModelPersistenceError(dir, `not a saved stage, or an incomplete save: ${METADATA_DIR}/${METADATA_FILE} is missing`);
  }
  return fs.join(metadataDir, name);
}
