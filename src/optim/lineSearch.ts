/**
 * One-dimensional searches along a direction, ported from Breeze (`StrongWolfeLineSearch`,
 * `BacktrackingLineSearch`). `phi(t)` evaluates the objective at x + t·d and returns its value,
 * the directional derivative and a payload (the full evaluation), so that the accepted point
 * never has to be evaluated again. Each `phi` call costs one pass over the data.
 */
import { SearchFailure } from './failure.js';

export interface LinePoint<P> {
  t: number;
  value: number;
  /** Directional derivative at t. */
  deriv: number;
  payload: P;
}

export type LineFunction<P> = (t: number) => Promise<LinePoint<P>>;

function isFinitePoint(p: { value: number; deriv: number }): boolean {
  return Number.isFinite(p.value) && Number.isFinite(p.deriv);
}

/**
 * Safeguarded cubic interpolation of the minimum between `l` and `r` (l.t < r.t), kept within
 * the middle 80% of the bracket (Nocedal & Wright p. 59, as Breeze). Where the cubic has no real
 * minimum or a bracket end is not finite, Breeze would return NaN; we bisect instead.
 */
function interpolate(l: LinePoint<unknown>, r: LinePoint<unknown>): number {
  const d1 = l.deriv + r.deriv - (3 * (l.value - r.value)) / (l.t - r.t);
  const d2 = Math.sqrt(d1 * d1 - l.deriv * r.deriv);
  const t = r.t - ((r.t - l.t) * (r.deriv + d2 - d1)) / (r.deriv - l.deriv + 2 * d2);
  const lo = l.t + 0.1 * (r.t - l.t);
  const hi = l.t + 0.9 * (r.t - l.t);
  if (!Number.isFinite(t)) return 0.5 * (l.t + r.t);
  return Math.min(Math.max(t, lo), hi);
}

export interface StrongWolfeOptions {
  maxZoomIter: number;
  maxLineSearchIter: number;
  /** Largest step allowed (L-BFGS-B: where the first coordinate reaches its bound). */
  bound?: number;
}

const C1 = 1e-4;
const C2 = 0.9;
/** A few ulps: relative size below which differences of objective values are rounding. */
const ROUNDING = 4 * Number.EPSILON;

/**
 * Breeze's `StrongWolfeLineSearch.minimizeWithBound`: returns a point meeting the strong Wolfe
 * conditions (c1 = 1e-4, c2 = 0.9), or one meeting sufficient decrease at `bound`. A NaN or
 * infinite value halves the trial step, as Breeze does for objectives with a bounded domain.
 */
export async function strongWolfe<P>(
  phi: LineFunction<P>,
  at0: LinePoint<P>,
  init: number,
  opts: StrongWolfeOptions,
): Promise<LinePoint<P>> {
  const bound = opts.bound ?? Number.POSITIVE_INFINITY;
  if (!(init <= bound)) throw new Error(`strongWolfe: init (${init}) must not exceed bound (${bound})`);
  const f0 = at0.value;
  const dd0 = at0.deriv;
  if (dd0 > 0) throw new SearchFailure(`line search invoked with a non-descent direction (slope ${dd0})`);
  let finiteSeen = false;
  const evaluate = async (t: number): Promise<LinePoint<P>> => {
    const p = await phi(t);
    if (isFinitePoint(p)) finiteSeen = true;
    return p;
  };

  const zoom = async (lInit: LinePoint<P>, rInit: LinePoint<P>): Promise<LinePoint<P>> => {
    // Invariants (N&W): [low, hi] holds a strong-Wolfe point; low has the least value among
    // points with sufficient decrease; low.deriv·(hi.t − low.t) < 0.
    let low = lInit;
    let hi = rInit;
    for (let i = 0; i < opts.maxZoomIter; i++) {
      // Added to Breeze: once the whole bracket can change f by less than its rounding, no
      // trial can show sufficient decrease, and Breeze would spend all maxZoomIter passes
      // (64 for L-BFGS-B) learning that. Same outcome, fewer passes.
      if (Math.abs(hi.t - low.t) * Math.abs(dd0) <= ROUNDING * Math.abs(f0)) {
        throw new SearchFailure('line search cannot resolve a decrease below the rounding of the objective');
      }
      const t = low.t > hi.t ? interpolate(hi, low) : interpolate(low, hi);
      const c = await evaluate(t);
      if (!isFinitePoint(c) || c.value > f0 + C1 * c.t * dd0 || c.value >= low.value) {
        hi = c;
      } else {
        if (Math.abs(c.deriv) <= C2 * Math.abs(dd0)) return c;
        if (c.deriv * (hi.t - low.t) >= 0) hi = low;
        low = c;
      }
    }
    throw new SearchFailure('line search zoom failed', !finiteSeen);
  };

  let t = init;
  let low = at0;
  for (let i = 0; i < opts.maxLineSearchIter; i++) {
    const c = await evaluate(t);
    if (!isFinitePoint(c)) {
      t /= 2;
      continue;
    }
    if (c.value > f0 + C1 * t * dd0 || (c.value >= low.value && i > 0)) return zoom(low, c);
    if (Math.abs(c.deriv) <= C2 * Math.abs(dd0)) return c;
    // Positive slope: we stepped over the nearest minimum, zoom on the reversed interval.
    if (c.deriv >= 0) return zoom(c, low);
    low = c;
    if (t === bound) return c;
    t = Math.min(t * 1.5, bound);
  }
  throw new SearchFailure('line search failed', !finiteSeen);
}

export interface BacktrackingOptions {
  /** Factor applied when a step is too long (Breeze's OWL-QN: 0.1 on the first iteration, else 0.5). */
  shrink: number;
  grow?: number;
  maxIterations?: number;
  minAlpha?: number;
  maxAlpha?: number;
}

/**
 * Breeze's `BacktrackingLineSearch` with strong Wolfe conditions enforced (its defaults:
 * cArmijo 1e-4, cWolfe 0.9, grow 2.1, 20 iterations, steps in [1e-10, 1e10]). Two deliberate
 * differences, both keeping the objective from rising: the first trial is judged by its own
 * value (Breeze judges it by the value at t = 0, scalanlp/breeze#697, acknowledged as a bug),
 * and NaN or infinite values shrink the step. When the iterations run out, Breeze returns the
 * last trial whatever its value; we return the lowest trial with sufficient decrease, or fail.
 */
export async function backtracking<P>(
  phi: LineFunction<P>,
  at0: LinePoint<P>,
  init: number,
  opts: BacktrackingOptions,
): Promise<LinePoint<P>> {
  const grow = opts.grow ?? 2.1;
  const maxIterations = opts.maxIterations ?? 20;
  const minAlpha = opts.minAlpha ?? 1e-10;
  const maxAlpha = opts.maxAlpha ?? 1e10;
  const f0 = at0.value;
  const df0 = at0.deriv;
  if (!(df0 < 0)) throw new SearchFailure(`line search invoked with a non-descent direction (slope ${df0})`);
  let finiteSeen = false;
  let best: LinePoint<P> | undefined;
  let cur = await phi(init);
  for (let iter = 0; ; iter++) {
    const finite = isFinitePoint(cur);
    if (finite) finiteSeen = true;
    const armijo = finite && cur.value <= f0 + cur.t * df0 * C1;
    if (armijo && (best === undefined || cur.value < best.value)) best = cur;
    let factor = 1;
    if (!armijo) factor = opts.shrink;
    else if (cur.deriv < C2 * df0) factor = grow;
    else if (cur.deriv > -C2 * df0) factor = opts.shrink;
    if (factor === 1) return cur;
    if (iter >= maxIterations) {
      if (best !== undefined) return best;
      throw new SearchFailure('line search failed', !finiteSeen);
    }
    const alpha = cur.t * factor;
    if (alpha < minAlpha) throw new SearchFailure(`line search step underflow (${alpha})`, !finiteSeen);
    if (alpha > maxAlpha) throw new SearchFailure(`line search step overflow (${alpha})`, !finiteSeen);
    cur = await phi(alpha);
  }
}
