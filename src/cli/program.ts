// The `quiver` command line (commander): fit, transform, score and show. Every failure — a bad
// argument, a missing file, a bad pipeline file, bad input — is one line on stderr and a non-zero
// exit (2 for usage), never a stack trace.
import type { Readable, Writable } from 'node:stream';

import { Command, CommanderError } from 'commander';

import { Session } from '../dataframe/session.js';
import { CliError, oneLine } from './errors.js';
import { fit } from './fit.js';
import { score } from './score.js';
import { show } from './show.js';
import { transform } from './transform.js';

export interface CliIo { stdin: Readable; stdout: Writable; stderr: Writable }

/** Runs the command line; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let session: Session | null = null;
  const spark = () => (session ??= Session.builder().appName('quiver-cli').master('local[*]').create());
  const say = (text: string) => { io.stdout.write(`${text}\n`); };
  const program = new Command('quiver')
    .description('Spark MLlib-style machine learning from the command line: fit, transform, score and show models in Spark\'s layout')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: () => undefined })
    .showHelpAfterError(false);
  program.command('fit')
    .description('fit a pipeline (a JSON file of stages and params) on data and save the model')
    .requiredOption('--pipeline <file>', 'JSON: { "stages": [ { "class": "VectorAssembler", "params": { ... } }, ... ] }')
    .requiredOption('--data <path>', 'training data: Parquet, CSV (with a header) or JSON lines; a file, directory or glob')
    .requiredOption('--out <path>', 'where to save the PipelineModel (Spark\'s layout; local or s3://)')
    .option('--format <format>', 'the data\'s format when its extension does not say (parquet|csv|json)')
    .option('--overwrite', 'replace a model already saved at --out')
    .action(async (o) => say(await fit(spark(), o)));
  program.command('transform')
    .description('apply a saved model to data and write the result')
    .requiredOption('--model <path>', 'a saved model or PipelineModel')
    .requiredOption('--data <path>', 'input data: Parquet, CSV (with a header) or JSON lines')
    .requiredOption('--out <path>', 'where to write the output')
    .option('--format <format>', 'the input\'s format when its extension does not say (parquet|csv|json)')
    .option('--out-format <format>', 'the output\'s format (default parquet; csv cannot hold vectors)')
    .option('--overwrite', 'replace output already at --out')
    .action(async (o) => say(await transform(spark(), o)));
  program.command('score')
    .description('score JSON lines from stdin one row at a time, one JSON line of outputs per input on stdout (null for a dropped row)')
    .requiredOption('--model <path>', 'a saved model or PipelineModel')
    .option('--schema <ddl>', 'the input rows\' schema, e.g. "amount DOUBLE, category STRING" (default: inferred from the first row)')
    .action(async (o) => score(o, io.stdin, io.stdout));
  program.command('show')
    .description('describe a saved stage: class, uid, params, and a pipeline\'s stages')
    .argument('<path>', 'the saved stage')
    .action(async (path: string) => say(await show(path)));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0; // --help, --version
      io.stderr.write(`quiver: ${error.message.replace(/^error: /, '')}\n`);
      return 2;
    }
    io.stderr.write(`${error instanceof CliError ? error.message : `quiver: ${oneLine(error)}`}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  } finally {
    await (session as Session | null)?.stop();
  }
}
