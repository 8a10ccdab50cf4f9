// The package as a user gets it: `npm pack` from a clean copy of the repository (the files git
// tracks, no dist/, no node_modules of its own), installed from the tarball into an empty project
// outside the repository. There the README's tour, the demo, a TypeScript program run by tsx with
// a kernel module of its own, and an s3:// path without the optional AWS SDK run on the Node that
// runs this suite (CI runs it on Node 20 and on Node 24). Installing needs the npm registry (or
// npm's cache) for Quiver's runtime dependencies; the registry is reachable wherever CI runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsx = path.join(repo, 'node_modules/tsx/dist/cli.mjs');
const tsc = path.join(repo, 'node_modules/typescript/bin/tsc');

let tmp = '';
let app = '';
let tarball = '';
let installed = '';

/**
 * The environment without npm's `npm_*` variables: `npm test` sets npm_config_local_prefix and
 * friends to this repository, and a nested npm would obey them and work here instead.
 */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

function run(command: string, args: string[], cwd: string, extra: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: cleanEnv(extra), encoding: 'utf8', timeout: 180_000 });
}

/** Runs and returns stdout, or throws with everything the command printed. */
function ok(command: string, args: string[], cwd: string, extra: Record<string, string> = {}): string {
  const r = run(command, args, cwd, extra);
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${r.status ?? r.signal}${r.error ? ` (${r.error.message})` : ''}\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

/** A clone's files: what git tracks (and new files not ignored), copied; node_modules borrowed. */
function cleanCopy(to: string): void {
  const list = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' });
  for (const file of list.split('\0')) {
    if (file === '' || !fs.existsSync(path.join(repo, file))) continue; // deleted in the work tree, not yet in the index
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.copyFileSync(path.join(repo, file), path.join(to, file));
  }
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(to, 'node_modules'));
}

/** The README's tour: the first code block after its heading. */
function readmeTour(): string {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const block = /## A short tour[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error("README.md has no ```ts block under '## A short tour'");
  return block[1];
}

/** A node_modules in a directory above `dir`: Node would resolve the empty project's imports there too. */
function nodeModulesAbove(dir: string): string | undefined {
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'node_modules'))) return path.join(d, 'node_modules');
    if (path.dirname(d) === d) return undefined;
  }
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-package-'));
  // The project must see only what it installed (e.g. no AWS SDK); a stray one above would make it pass or fail for the wrong reason.
  const stray = nodeModulesAbove(tmp);
  if (stray) throw new Error(`${stray} is above the temporary directory, so the empty project would resolve packages from it; remove it (or set TMPDIR elsewhere)`);
  const source = path.join(tmp, 'quiver');
  cleanCopy(source);
  ok('npm', ['pack', '--pack-destination', tmp, '--loglevel=error'], source); // runs `prepare`: the build
  tarball = path.join(tmp, fs.readdirSync(tmp).find((f) => f.endsWith('.tgz')) ?? 'no tarball');

  app = path.join(tmp, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'quiver-user', private: true, type: 'module' }, null, 2));
  ok('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app);
  installed = path.join(app, 'node_modules/quiver');
}, 300_000);

afterAll(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

describe('npm pack from a clean copy', () => {
  it('holds the built package, its sources, the licence and no development files', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts', 'dist/worker.js', 'dist/kernels.js', 'src/index.ts', 'src/worker.ts']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(test|bench|scripts|examples|docs|\.ci|\.node|node_modules)\//.test(f))).toEqual([]);
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    expect(pkg.license).toBe('Apache-2.0');
    const licence = fs.readFileSync(path.join(installed, 'LICENSE'), 'utf8');
    expect(licence).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(licence).toMatch(/END OF TERMS AND CONDITIONS/); // the full text, not a notice
  });

  it('has source maps and declaration maps whose sources are all in the package', () => {
    const missing: string[] = [];
    let maps = 0;
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.map')) {
          maps++;
          const map = JSON.parse(fs.readFileSync(p, 'utf8')) as { sources: string[]; sourceRoot?: string };
          for (const s of map.sources) {
            const target = path.resolve(path.dirname(p), map.sourceRoot ?? '', s);
            if (!fs.existsSync(target)) missing.push(`${path.relative(installed, p)} → ${s}`);
          }
        }
      }
    };
    walk(path.join(installed, 'dist'));
    expect(maps).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });
});

describe('installed in an empty project', () => {
  it('leaves out the optional AWS SDK and resolves the exports map for import, require and package.json', () => {
    expect(fs.existsSync(path.join(app, 'node_modules/@aws-sdk/client-s3'))).toBe(false);
    expect(fs.existsSync(path.join(app, 'node_modules/parquet-wasm'))).toBe(true);
    const out = ok(process.execPath, ['--input-type=module', '-e', `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      console.log(import.meta.resolve('quiver'));
      console.log(require.resolve('quiver'));   // the 'default' condition
      console.log(require('quiver/package.json').version);`], app);
    const [esm, cjs, version] = out.trim().split('\n');
    expect(fileURLToPath(esm)).toBe(path.join(fs.realpathSync(installed), 'dist/index.js'));
    expect(fs.realpathSync(cjs)).toBe(path.join(fs.realpathSync(installed), 'dist/index.js'));
    expect(version).toBe(JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).version);
  });

  it("runs the README's tour with node", () => {
    fs.writeFileSync(path.join(app, 'tour.mjs'), readmeTour());
    const r = run(process.execPath, ['tour.mjs'], app);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Oslo/);
    expect(r.stdout).toMatch(/Bergen/);
    expect(r.stdout).toMatch(/total/);
  });

  it('installs the quiver command (package.json bin)', () => {
    const bin = path.join(app, 'node_modules', '.bin', 'quiver');
    const help = run(bin, ['--help'], app);
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: quiver .*\n(.*\n)*\s+score /);
    const bad = run(bin, ['show', 'no-such-model'], app);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('runs the demo from examples/ (which imports quiver by name)', () => {
    fs.copyFileSync(path.join(repo, 'examples/demo.mjs'), path.join(app, 'demo.mjs'));
    const r = run(process.execPath, ['demo.mjs'], app, { DEMO_ROWS: '4000' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/saved, loaded and re-scored the PipelineModel: identical predictions/);
  });

  it('type-checks and runs TypeScript with tsx, including a kernel module of its own in the workers', () => {
    fs.writeFileSync(path.join(app, 'tour.ts'), readmeTour());
    fs.writeFileSync(path.join(app, 'rows.kernels.ts'), `
      import { registerAggregator } from 'quiver';
      registerAggregator<number>('user.countRows', (count, batch) => count + batch.numRows);
    `);
    fs.writeFileSync(path.join(app, 'main.ts'), `
      import { Session } from 'quiver';
      const spark = Session.builder().master('local[2]').getOrCreate();
      await spark.addKernelModule(new URL('./rows.kernels.ts', import.meta.url));
      const df = spark.createDataFrame(Array.from({ length: 10 }, (_, i) => ({ i })), { numPartitions: 3 });
      const rows: number = await df.treeAggregate(0, 'user.countRows', (a, b) => a + b);
      console.log(rows);
      await spark.stop();
    `);
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true,
        // A user's program sees Node's types from their own @types/node; borrow the repository's.
        types: ['node'], typeRoots: [path.join(repo, 'node_modules/@types')],
      },
      include: ['*.ts'],
    }, null, 2));
    ok(process.execPath, [tsc, '-p', 'tsconfig.json'], app);

    const main = run(process.execPath, [tsx, 'main.ts'], app);
    expect(main.stderr).toBe('');
    expect(main.stdout.trim()).toBe('10');
    const tour = run(process.execPath, [tsx, 'tour.ts'], app);
    expect(tour.stderr).toBe('');
    expect(tour.stdout).toMatch(/Oslo/);
  });

  it('fails an s3:// path without the AWS SDK with one line naming the path and the package', () => {
    fs.writeFileSync(path.join(app, 's3.mjs'), `
      import { Session } from 'quiver';
      const spark = Session.builder().master('local[1]').getOrCreate();
      try { await spark.read.csv('s3://some-bucket/data.csv'); console.log('read without the SDK?'); }
      catch (e) { console.log(e.message); }
      finally { await spark.stop(); }`);
    const r = run(process.execPath, ['s3.mjs'], app);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/'s3:\/\/some-bucket\/data\.csv'.*npm install @aws-sdk\/client-s3$/);
  });
});
