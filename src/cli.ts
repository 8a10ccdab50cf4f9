#!/usr/bin/env node
// The `quiver` command (package.json `bin`): loads the whole package, so that every stage class is
// registered for loading and for pipeline files, then runs the command line (src/cli/).
import './index.js';
import { runCli } from './cli/program.js';

process.exitCode = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
