// `quiver score --model <path>`: JSON lines on stdin, one JSON line of the model's outputs per input
// line on stdout (`null` for a row a stage drops), scored one row at a time (PipelineModel.rowScorer).
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

import type { StructType } from '../dataframe/types.js';
import { load } from '../persistence/index.js';
import { PipelineModel } from '../pipeline/pipeline.js';
import type { Transformer } from '../pipeline/stage.js';
import { CliError } from './errors.js';
import { jsonOfOutputs, rowOfJson, schemaOfDdl, schemaOfRow } from './rows.js';

export async function score(options: { model: string; schema?: string }, input: Readable, output: Writable): Promise<void> {
  const stage = await load<Transformer>(options.model);
  const model = stage instanceof PipelineModel ? stage : new PipelineModel([stage]);
  let scorer: ReturnType<PipelineModel['rowScorer']> | null = null;
  let columns: string[] = [];
  const compile = (schema: StructType) => {
    scorer = model.rowScorer(schema);
    columns = model.transformSchema(schema).fields.slice(schema.length).map((f) => f.name);
  };
  if (options.schema !== undefined) compile(schemaOfDdl(options.schema));
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new CliError(`quiver score: line ${line} is not JSON: ${(error as Error).message}`);
    }
    const row = rowOfJson(value, line);
    if (scorer === null) compile(schemaOfRow(row));
    let out: Record<string, unknown> | null;
    try {
      out = scorer!.score(row);
    } catch (error) {
      throw new CliError(`quiver score: line ${line}: ${(error as Error).message}`);
    }
    if (!output.write(`${out === null ? 'null' : jsonOfOutputs(out, columns)}\n`)) await new Promise((r) => output.once('drain', r));
  }
}
