// Reader options as keyword arguments, as PySpark's spark.read.csv(path, header=True, inferSchema=True):
// `spark.read.csv(path, { header: true, inferSchema: true })`. Keys are Spark's option names (the
// same as .option(key, value), case-insensitive, unknown ones ignored as Spark does); `schema` takes
// a StructType or a DDL string; null and undefined values are skipped, as PySpark skips None.
import type { StructType } from '../types.js';
import type { OptionValue } from './options.js';

type Keyword = OptionValue | null | undefined;

export interface ReadOptions {
  /** The schema to read with (skips inference), as a StructType or a DDL string ('a DOUBLE, b STRING'). */
  schema?: StructType | string | null;
  recursiveFileLookup?: boolean | null;
  [option: string]: Keyword | StructType;
}

type Mode = 'PERMISSIVE' | 'DROPMALFORMED' | 'FAILFAST';

/** Spark's CSV options (CSVOptions.scala) that this reader honours. */
export interface CsvReadOptions extends ReadOptions {
  header?: boolean | null;
  inferSchema?: boolean | null;
  sep?: string | null;
  delimiter?: string | null;
  quote?: string | null;
  escape?: string | null;
  comment?: string | null;
  nullValue?: string | null;
  emptyValue?: string | null;
  nanValue?: string | null;
  positiveInf?: string | null;
  negativeInf?: string | null;
  mode?: Mode | null;
  ignoreLeadingWhiteSpace?: boolean | null;
  ignoreTrailingWhiteSpace?: boolean | null;
  multiLine?: boolean | null;
  samplingRatio?: number | null;
  encoding?: string | null;
}

/** Spark's JSON options (JSONOptions.scala) that this reader honours. */
export interface JsonReadOptions extends ReadOptions {
  multiLine?: boolean | null;
  mode?: Mode | null;
  columnNameOfCorruptRecord?: string | null;
  primitivesAsString?: boolean | null;
  dropFieldIfAllNull?: boolean | null;
  samplingRatio?: number | null;
  allowComments?: boolean | null;
  allowSingleQuotes?: boolean | null;
  allowUnquotedFieldNames?: boolean | null;
  allowNumericLeadingZeros?: boolean | null;
  allowNonNumericNumbers?: boolean | null;
  allowBackslashEscapingAnyCharacter?: boolean | null;
  allowUnquotedControlChars?: boolean | null;
  encoding?: string | null;
  lineSep?: string | null;
}

/** spark.read.load's keywords: also the format. */
export interface LoadOptions extends ReadOptions {
  format?: string | null;
}

export type PathArg = string | readonly string[];

/** Splits `(...paths, options?)`: a trailing plain object is the options, everything else a path. */
export function pathsAndOptions<O extends ReadOptions>(method: string, args: readonly (PathArg | O)[]): { paths: string[]; options: O | null } {
  const last = args[args.length - 1];
  const hasOptions = last !== null && typeof last === 'object' && !Array.isArray(last);
  const pathArgs = (hasOptions ? args.slice(0, -1) : args) as unknown[];
  const paths: string[] = [];
  for (const p of pathArgs.flat()) {
    if (typeof p !== 'string') {
      throw new Error(`spark.read.${method}: a path must be a string${hasOptions ? '' : ', and options an object as the last argument'}, got ${p === null ? 'null' : typeof p === 'object' ? JSON.stringify(p) : String(p)}`);
    }
    paths.push(p);
  }
  return { paths, options: hasOptions ? (last as O) : null };
}

/** The options object's entries with a value, each checked to be an option value. */
export function keywordEntries(method: string, options: ReadOptions, special: readonly string[]): [string, OptionValue][] {
  const out: [string, OptionValue][] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === null || value === undefined || special.includes(key)) continue;
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new Error(`spark.read.${method}: option '${key}' must be a string, number or boolean, got ${typeof value === 'object' ? 'an object' : typeof value}`);
    }
    out.push([key, value as OptionValue]);
  }
  return out;
}
