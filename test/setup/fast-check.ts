// Every property test of a run draws from one seed when FC_SEED is set (CI sets and prints it), so
// a red run replays with `FC_SEED=<seed> npm test`. Unset, fast-check picks a seed per property and
// prints it with any counterexample.
import fc from 'fast-check';

const raw = process.env.FC_SEED;
if (raw !== undefined && raw !== '') {
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got '${raw}'`);
  fc.configureGlobal({ seed });
}
