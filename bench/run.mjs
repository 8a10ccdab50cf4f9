// Runs the named benchmarks (default: all), each in its own process so memory does not carry over.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const here = new URL('.', import.meta.url).pathname;
const available = readdirSync(here).filter((f) => f.endsWith('.mjs') && !['run.mjs', 'common.mjs', 'peers.mjs'].includes(f)).map((f) => f.slice(0, -4));
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : available;
for (const name of wanted) {
  if (!available.includes(name)) { console.error(`unknown benchmark '${name}'; available: ${available.join(', ')}`); process.exit(2); }
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', `${here}${name}.mjs`], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
