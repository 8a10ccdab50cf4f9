/**
 * Float64Array kernels: the inner loops of every algorithm (no native BLAS is available).
 *
 * Conventions:
 * - Matrices are row-major; a "block" is n rows of width d starting at element `xOff` of X, which is
 *   how a dense vector column of an Arrow partition lays out its values.
 * - Per-row arrays (`out` of gemv, `r` of gemvT, `weights` of syrk) are indexed from 0 for the first
 *   row of the block, whatever `xOff` is: pass `array.subarray(row0)` for a sub-block.
 * - Each call checks its sizes once (O(1)) and throws a RangeError naming the argument, because an
 *   out-of-range typed-array read yields `undefined` → NaN silently. Loops themselves are unchecked.
 * - Loops are unrolled with independent accumulators, so sums are not added in naive order: results
 *   match a naive loop to rounding (~1e-15 relative), and are identical from call to call.
 */

function need(op: string, name: string, array: ArrayLike<number>, length: number): void {
  if (array.length < length) {
    throw new RangeError(`${op}: ${name} has length ${array.length}, but ${length} elements are needed`);
  }
}

function checkCount(op: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${op}: ${name} must be a non-negative integer, got ${v}`);
}

/** The checks of an n×d row-major block argument X starting at xOff. */
function checkBlock(op: string, n: number, d: number, X: Float64Array, xOff: number): void {
  checkCount(op, 'n', n);
  checkCount(op, 'd', d);
  need(op, 'X', X, xOff + n * d);
}

/** Σ_{i<n} x[xOff+i]·y[yOff+i]. */
export function dot(x: Float64Array, y: Float64Array, n = x.length, xOff = 0, yOff = 0): number {
  checkCount('dot', 'n', n);
  need('dot', 'x', x, xOff + n);
  need('dot', 'y', y, yOff + n);
  return dotUnchecked(x, y, n, xOff, yOff);
}

function dotUnchecked(x: Float64Array, y: Float64Array, n: number, xOff: number, yOff: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = xOff + i;
    const q = yOff + i;
    s0 += x[p] * y[q];
    s1 += x[p + 1] * y[q + 1];
    s2 += x[p + 2] * y[q + 2];
    s3 += x[p + 3] * y[q + 3];
  }
  for (; i < n; i++) s0 += x[xOff + i] * y[yOff + i];
  return s0 + s1 + (s2 + s3);
}

/** y[yOff+i] += a·x[xOff+i] for i < n. */
export function axpy(a: number, x: Float64Array, y: Float64Array, n = x.length, xOff = 0, yOff = 0): void {
  checkCount('axpy', 'n', n);
  need('axpy', 'x', x, xOff + n);
  need('axpy', 'y', y, yOff + n);
  if (a !== 0) axpyUnchecked(a, x, y, n, xOff, yOff); // BLAS's quick return
}

function axpyUnchecked(a: number, x: Float64Array, y: Float64Array, n: number, xOff: number, yOff: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = xOff + i;
    const q = yOff + i;
    y[q] += a * x[p];
    y[q + 1] += a * x[p + 1];
    y[q + 2] += a * x[p + 2];
    y[q + 3] += a * x[p + 3];
  }
  for (; i < n; i++) y[yOff + i] += a * x[xOff + i];
}

/** x *= a, in place. */
export function scal(a: number, x: Float64Array): void {
  const n = x.length;
  for (let i = 0; i < n; i++) x[i] *= a;
}

/**
 * Euclidean norm. Sums squares directly and, only when that over- or underflows, recomputes with
 * scaling as LAPACK's dnrm2 does, so huge and tiny vectors still get the right norm.
 */
export function nrm2(x: Float64Array): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * x[i];
  if (s < Number.MAX_VALUE && s > 1e-290) return Math.sqrt(s); // also false for NaN: falls through
  let scale = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i]);
    if (a > scale || Number.isNaN(a)) scale = a;
  }
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let t = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i] / scale;
    t += v * v;
  }
  return scale * Math.sqrt(t);
}

/**
 * Widest rows for which gemv and gemvT interleave four rows. Four rows at a time share each load of
 * w[j] (or of out[j]) and run in cache at ~4.4 GFLOP/s, but once rows are wider than this, four
 * interleaved streams from memory drop to ~1.3 GFLOP/s while one row at a time keeps ~3.2: measured
 * on 80 MB blocks, the size of a cached partition.
 */
export const INTERLEAVE_MAX_D = 32;

/** out[i] = Σ_j X[xOff + i·d + j]·w[j] for i < n: the margins of a block of rows. */
export function gemv(n: number, d: number, X: Float64Array, w: Float64Array, out: Float64Array, xOff = 0): void {
  checkBlock('gemv', n, d, X, xOff);
  need('gemv', 'w', w, d);
  need('gemv', 'out', out, n);
  let i = 0;
  if (d <= INTERLEAVE_MAX_D) {
    for (; i + 4 <= n; i += 4) {
      const p0 = xOff + i * d;
      const p1 = p0 + d;
      const p2 = p1 + d;
      const p3 = p2 + d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < d; j++) {
        const wj = w[j];
        s0 += X[p0 + j] * wj;
        s1 += X[p1 + j] * wj;
        s2 += X[p2 + j] * wj;
        s3 += X[p3 + j] * wj;
      }
      out[i] = s0;
      out[i + 1] = s1;
      out[i + 2] = s2;
      out[i + 3] = s3;
    }
    // The rows left over sum in the same order as the groups of four: a row's value must not depend
    // on where it sits in the block (a row scored alone gets what transform gave it in a batch).
    for (; i < n; i++) {
      const p = xOff + i * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += X[p + j] * w[j];
      out[i] = s;
    }
    return;
  }
  for (; i < n; i++) out[i] = dotUnchecked(X, w, d, xOff + i * d, 0);
}

/**
 * out[j] += Σ_i r[i]·X[xOff + i·d + j] for j < d: accumulates Xᵀr, e.g. a gradient from per-row
 * multipliers. Narrow rows go four at a time, so each out[j] is loaded and stored once per four rows.
 */
export function gemvT(n: number, d: number, X: Float64Array, r: Float64Array, out: Float64Array, xOff = 0): void {
  checkBlock('gemvT', n, d, X, xOff);
  need('gemvT', 'r', r, n);
  need('gemvT', 'out', out, d);
  let i = 0;
  if (d <= INTERLEAVE_MAX_D) {
    for (; i + 4 <= n; i += 4) {
      const p0 = xOff + i * d;
      const p1 = p0 + d;
      const p2 = p1 + d;
      const p3 = p2 + d;
      const r0 = r[i];
      const r1 = r[i + 1];
      const r2 = r[i + 2];
      const r3 = r[i + 3];
      for (let j = 0; j < d; j++) {
        out[j] += r0 * X[p0 + j] + r1 * X[p1 + j] + r2 * X[p2 + j] + r3 * X[p3 + j];
      }
    }
  }
  for (; i < n; i++) axpyUnchecked(r[i], X, out, d, xOff + i * d, 0);
}

/** Bytes of X that one syrk row chunk spans: small enough to stay in L1/L2 while every tile re-reads it. */
const SYRK_CHUNK_BYTES = 65536;

/**
 * out += Xᵀ·diag(weights)·X for the row-major n×d block X (weights default to 1): the Gram pass of
 * PCA and of the normal equations.
 *
 * Fills the UPPER triangle of the d×d row-major `out`, diagonal included; the strictly lower
 * triangle is left untouched. Call `symmetrizeUpper(d, out)` once after the last pass (not per
 * partition) when a full matrix is needed; `choleskySolve` and `symmetricEigen` read only the upper
 * triangle, so they do not need it.
 *
 * Rows are processed in chunks that stay in cache; within a chunk, each 4×4 tile of `out` is summed
 * over all rows in 16 register accumulators and added to `out` once.
 */
export function syrk(n: number, d: number, X: Float64Array, out: Float64Array, xOff = 0, weights?: Float64Array): void {
  checkBlock('syrk', n, d, X, xOff);
  need('syrk', 'out', out, d * d);
  if (weights !== undefined) need('syrk', 'weights', weights, n);
  if (n === 0 || d === 0) return;
  const d4 = d - (d & 3);
  const chunk = Math.max(8, Math.min(512, Math.floor(SYRK_CHUNK_BYTES / (8 * d))));
  for (let r0 = 0; r0 < n; r0 += chunk) {
    const r1 = Math.min(n, r0 + chunk);
    const begin = xOff + r0 * d;
    const end = xOff + r1 * d;
    for (let a = 0; a < d4; a += 4) {
      for (let b = a; b < d4; b += 4) {
        if (weights === undefined) syrkTile4x4(X, begin, end, d, a, b, out);
        else syrkTile4x4Weighted(X, begin, end, d, a, b, out, weights, r0);
      }
      for (let b = d4; b < d; b++) syrkTile4x1(X, begin, end, d, a, b, out, weights, r0);
    }
    for (let a = d4; a < d; a++) {
      for (let b = a; b < d; b++) syrkTile1x1(X, begin, end, d, a, b, out, weights, r0);
    }
  }
}

// The 4×4 tile comes in two copies because a per-row weight lookup inside the unweighted loop costs
// ~10% on the hot path; the edge tiles are cheap and handle both cases.
function syrkTile4x4(X: Float64Array, begin: number, end: number, d: number, a: number, b: number, out: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = begin; p < end; p += d) {
    const x0 = X[p + a], x1 = X[p + a + 1], x2 = X[p + a + 2], x3 = X[p + a + 3];
    const y0 = X[p + b], y1 = X[p + b + 1], y2 = X[p + b + 2], y3 = X[p + b + 3];
    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
    c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
    c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
  }
  addTile4x4(out, d, a, b, c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33);
}

function syrkTile4x4Weighted(
  X: Float64Array, begin: number, end: number, d: number, a: number, b: number,
  out: Float64Array, weights: Float64Array, row0: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = begin, i = row0; p < end; p += d, i++) {
    const w = weights[i];
    const x0 = w * X[p + a], x1 = w * X[p + a + 1], x2 = w * X[p + a + 2], x3 = w * X[p + a + 3];
    const y0 = X[p + b], y1 = X[p + b + 1], y2 = X[p + b + 2], y3 = X[p + b + 3];
    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
    c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
    c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
  }
  addTile4x4(out, d, a, b, c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33);
}

/** Adds a 4×4 tile at (a, b); on a diagonal tile (a === b) only its upper triangle. */
function addTile4x4(
  out: Float64Array, d: number, a: number, b: number,
  c00: number, c01: number, c02: number, c03: number, c10: number, c11: number, c12: number, c13: number,
  c20: number, c21: number, c22: number, c23: number, c30: number, c31: number, c32: number, c33: number,
): void {
  const o0 = a * d + b;
  const o1 = o0 + d;
  const o2 = o1 + d;
  const o3 = o2 + d;
  out[o0] += c00; out[o0 + 1] += c01; out[o0 + 2] += c02; out[o0 + 3] += c03;
  out[o1 + 1] += c11; out[o1 + 2] += c12; out[o1 + 3] += c13;
  out[o2 + 2] += c22; out[o2 + 3] += c23;
  out[o3 + 3] += c33;
  if (a !== b) {
    out[o1] += c10;
    out[o2] += c20; out[o2 + 1] += c21;
    out[o3] += c30; out[o3 + 1] += c31; out[o3 + 2] += c32;
  }
}

/** Rows a..a+3 of column b (b ≥ a + 4, so all upper). */
function syrkTile4x1(
  X: Float64Array, begin: number, end: number, d: number, a: number, b: number,
  out: Float64Array, weights: Float64Array | undefined, row0: number,
): void {
  let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
  for (let p = begin, i = row0; p < end; p += d, i++) {
    const y = weights === undefined ? X[p + b] : weights[i] * X[p + b];
    c0 += X[p + a] * y; c1 += X[p + a + 1] * y; c2 += X[p + a + 2] * y; c3 += X[p + a + 3] * y;
  }
  const o = a * d + b;
  out[o] += c0; out[o + d] += c1; out[o + 2 * d] += c2; out[o + 3 * d] += c3;
}

function syrkTile1x1(
  X: Float64Array, begin: number, end: number, d: number, a: number, b: number,
  out: Float64Array, weights: Float64Array | undefined, row0: number,
): void {
  let c = 0;
  for (let p = begin, i = row0; p < end; p += d, i++) {
    const y = weights === undefined ? X[p + b] : weights[i] * X[p + b];
    c += X[p + a] * y;
  }
  out[a * d + b] += c;
}

/** Copies the upper triangle of the d×d row-major `A` onto its lower triangle, in place. */
export function symmetrizeUpper(d: number, A: Float64Array): void {
  checkCount('symmetrizeUpper', 'd', d);
  need('symmetrizeUpper', 'A', A, d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) A[j * d + i] = A[i * d + j];
  }
}

/** k-depth of one packed panel: a 4×KC panel of A and KC×4 panels of B stay in L1/L2. */
const GEMM_KC = 256;
// Packing scratch, grown on demand and reused: a worker thread runs one kernel at a time.
let packedA = new Float64Array(4 * GEMM_KC);
let packedB = new Float64Array(0);
const edgeTile = new Float64Array(16);

/**
 * C = alpha·A·B + beta·C, all row-major: A is m×k, B is k×n, C is m×n. As in BLAS, beta = 0 ignores
 * what C held (NaN included) and alpha = 0 skips the product.
 *
 * Goto-style: B is packed into k×4 column panels and A into 4×k row panels (zero-padded at the
 * edges), then a 4×4 register-blocked micro-kernel multiplies one A panel by one B panel.
 */
export function gemm(
  m: number, n: number, k: number, A: Float64Array, B: Float64Array, C: Float64Array, alpha = 1, beta = 0,
): void {
  checkCount('gemm', 'm', m);
  checkCount('gemm', 'n', n);
  checkCount('gemm', 'k', k);
  need('gemm', 'A', A, m * k);
  need('gemm', 'B', B, k * n);
  need('gemm', 'C', C, m * n);
  if (beta === 0) C.fill(0, 0, m * n);
  else if (beta !== 1) for (let i = 0; i < m * n; i++) C[i] *= beta;
  if (alpha === 0 || k === 0) return;
  const nPanels = (n + 3) >> 2;
  const mPanels = (m + 3) >> 2;
  for (let pc = 0; pc < k; pc += GEMM_KC) {
    const kc = Math.min(GEMM_KC, k - pc);
    packB(B, n, pc, kc, nPanels);
    for (let ip = 0; ip < mPanels; ip++) {
      const i0 = ip * 4;
      const rows = Math.min(4, m - i0);
      packA(A, k, i0, rows, pc, kc);
      for (let jp = 0; jp < nPanels; jp++) {
        const j0 = jp * 4;
        gemmMicroKernel(kc, jp * kc * 4, C, i0 * n + j0, n, rows, Math.min(4, n - j0), alpha);
      }
    }
  }
}

/** Packs rows pc..pc+kc of B into panels of 4 columns: panel jp holds B[pc+p][4jp+q] at jp·kc·4 + 4p + q. */
function packB(B: Float64Array, n: number, pc: number, kc: number, nPanels: number): void {
  const size = nPanels * kc * 4;
  if (packedB.length < size) packedB = new Float64Array(size);
  const dst = packedB;
  for (let jp = 0; jp < nPanels; jp++) {
    const j0 = jp * 4;
    const cols = Math.min(4, n - j0);
    let o = jp * kc * 4;
    for (let p = 0; p < kc; p++, o += 4) {
      const s = (pc + p) * n + j0;
      if (cols === 4) {
        dst[o] = B[s]; dst[o + 1] = B[s + 1]; dst[o + 2] = B[s + 2]; dst[o + 3] = B[s + 3];
      } else {
        for (let q = 0; q < 4; q++) dst[o + q] = q < cols ? B[s + q] : 0;
      }
    }
  }
}

/** Packs A[i0..i0+rows][pc..pc+kc] interleaved: A[i0+q][pc+p] at 4p + q, zero rows past `rows`. */
function packA(A: Float64Array, k: number, i0: number, rows: number, pc: number, kc: number): void {
  if (packedA.length < kc * 4) packedA = new Float64Array(kc * 4);
  const dst = packedA;
  for (let q = 0; q < 4; q++) {
    if (q < rows) {
      const s = (i0 + q) * k + pc;
      for (let p = 0; p < kc; p++) dst[4 * p + q] = A[s + p];
    } else {
      for (let p = 0; p < kc; p++) dst[4 * p + q] = 0;
    }
  }
}

function gemmMicroKernel(
  kc: number, bOff: number, C: Float64Array, cOff: number, ldc: number, rows: number, cols: number, alpha: number,
): void {
  const pa = packedA;
  const pb = packedB;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  const end = kc * 4;
  for (let i = 0, j = bOff; i < end; i += 4, j += 4) {
    // One A value live at a time keeps 16 accumulators + 4 B values close to the 16 XMM registers.
    const b0 = pb[j], b1 = pb[j + 1], b2 = pb[j + 2], b3 = pb[j + 3];
    let a = pa[i];
    c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3;
    a = pa[i + 1];
    c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3;
    a = pa[i + 2];
    c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3;
    a = pa[i + 3];
    c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3;
  }
  if (rows === 4 && cols === 4) {
    let o = cOff;
    C[o] += alpha * c00; C[o + 1] += alpha * c01; C[o + 2] += alpha * c02; C[o + 3] += alpha * c03;
    o += ldc;
    C[o] += alpha * c10; C[o + 1] += alpha * c11; C[o + 2] += alpha * c12; C[o + 3] += alpha * c13;
    o += ldc;
    C[o] += alpha * c20; C[o + 1] += alpha * c21; C[o + 2] += alpha * c22; C[o + 3] += alpha * c23;
    o += ldc;
    C[o] += alpha * c30; C[o + 1] += alpha * c31; C[o + 2] += alpha * c32; C[o + 3] += alpha * c33;
    return;
  }
  const t = edgeTile;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03; t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23; t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) C[cOff + r * ldc + c] += alpha * t[r * 4 + c];
  }
}
