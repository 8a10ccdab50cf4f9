// GBT's per-round update of the training rows in WebAssembly (gbtUpdate in gbt.kernels.ts, for
// one tree per round and the squared, absolute and logistic losses): add the previous round's tree
// to each row's prediction, draw the next round's sample, compute the next gradients. The same
// operations in the same order as the JavaScript, so both give the same doubles.
import { EXP_MAX, EXP_TAYLOR as C, LN2_HI, LN2_LO, LOG2E } from '../exp.js';
import { F64, Fn, I32 } from './asm.js';

/** Losses with a WebAssembly update, by the index used in the function names. */
export const WASM_GBT_LOSSES = ['squared', 'absolute', 'logistic'] as const;

/** Pushes exp(x) for the f64 local `x`: exp.ts's exp, operation for operation. */
function emitExp(f: Fn, x: string): void {
  f.get(x).f64(-EXP_MAX).fmax().f64(EXP_MAX).fmin().set(x);
  f.get(x).f64(LOG2E).fmul().f64(0.5).fadd().floor().set('k');
  f.get(x).get('k').f64(LN2_HI).fmul().fsub().get('k').f64(LN2_LO).fmul().fsub().set('t');
  f.get('t').get('t').fmul().set('t2');
  f.get('t2').get('t2').fmul().set('t4');
  f.get('t4').get('t4').fmul().set('t8');
  const pair = (i: number) => { f.f64(C[i]).f64(C[i + 1]).get('t').fmul().fadd(); };
  pair(0); pair(2); f.get('t2').fmul().fadd().set('q0');
  pair(4); pair(6); f.get('t2').fmul().fadd().set('q1');
  pair(8); pair(10); f.get('t2').fmul().fadd().set('q2');
  f.get('q0').get('q1').get('t4').fmul().fadd();
  f.get('q2').f64(C[12]).get('t4').fmul().fadd().get('t8').fmul().fadd();
  f.get('k').truncSat().pow2().fmul();
}

/** Murmur3's finaliser of the i32 on the stack (random.ts's fmix). */
function emitFmix(f: Fn): void {
  f.tee('hh').get('hh').i32(16).shrU().xor().i32(0x85ebca6b).mul();
  f.tee('hh').get('hh').i32(13).shrU().xor().i32(0xc2b2ae35).mul();
  f.tee('hh').get('hh').i32(16).shrU().xor();
}

/**
 * gbtUpdate{loss}_{8|16} over rows [r0, r1) of one tree; `prev` = 0 before the first tree. The
 * predictions after the update go to `pred`, from `predIn`; the previous tree's sample is read from
 * `bagIn`, the next one written to `bag` (the inputs are never written: a retry reads the same).
 * Validation rows leave the sample (the caller sums their errors); `sample` draws Bernoulli(rate)
 * membership keyed by (seedHash, row) as rowUniform does; `gradient` = 0 only updates predictions.
 */
export function gbtUpdateFn(wide: boolean, loss: 0 | 1 | 2): Fn {
  const f = new Fn(`gbtUpdate${loss}_${wide ? 16 : 8}`, [
    ['r0', I32], ['r1', I32], ['node', I32], ['bagIn', I32], ['bag', I32], ['bins', I32], ['d', I32], ['B', I32], ['prev', I32],
    ['routeBase', I32], ['routeLen', I32], ['routeFeat', I32], ['routeLeft', I32], ['routeMask', I32],
    ['value', I32], ['feat', I32], ['left', I32], ['mask', I32],
    ['predIn', I32], ['pred', I32], ['labels', I32], ['grad', I32], ['hess', I32], ['validation', I32],
    ['sample', I32], ['rate', F64], ['seedHash', I32], ['gradient', I32],
  ], [['row', I32], ['id', I32], ['q', I32], ['ft', I32], ['ib', I32], ['hh', I32],
    ['x', F64], ['p', F64], ['k', F64], ['t', F64], ['t2', F64], ['t4', F64], ['t8', F64], ['q0', F64], ['q1', F64], ['q2', F64]]);
  // Pushes the goLeft of node `q` (table `maskName`) for row `row`: 1 - mask[q * B + bin(row, ft)] + left[q].
  const child = (leftName: string, maskName: string) => {
    f.addr4(leftName, 'q').loadI32().i32(1).add();
    f.get(maskName).get('q').get('B').mul().add();
    f.get('row').get('d').mul().get('ft').add();
    if (wide) f.i32(1).shl().get('bins').add().loadU16(); else f.get('bins').add().loadU8();
    f.add().loadU8().sub();
  };
  f.for('row', () => f.get('r0'), () => f.get('r1'), () => {
    f.get('prev').if(() => {
      f.i32(1).set('ib');
      f.get('bagIn').i32(0).geS().if(() => { f.get('bagIn').get('row').add().loadU8().i32(0).ne().set('ib'); });
      f.get('ib').if(() => {
        f.addr4('node', 'row').loadI32().set('id');
        f.get('id').get('routeBase').sub().set('q');
        f.get('q').get('routeLen').ltU().if(() => {
          f.addr4('routeFeat', 'q').loadI32().set('ft');
          f.get('ft').i32(0).geS().if(() => { child('routeLeft', 'routeMask'); f.set('id'); });
        });
      }, () => {
        f.i32(0).set('id');
        f.loop('walk', () => {
          f.get('id').set('q');
          f.addr4('feat', 'q').loadI32().tee('ft').i32(0).ltS().brIf('walk_exit');
          child('left', 'mask'); f.set('id');
          f.br('walk');
        });
      });
      f.addr8('pred', 'row').addr8('predIn', 'row').loadF64().addr8('value', 'id').loadF64().fadd().storeF64();
    }, () => {
      f.addr8('pred', 'row').addr8('predIn', 'row').loadF64().storeF64();
    });
    f.block('sampled', () => {
      f.get('validation').i32(0).geS().if(() => {
        f.get('validation').get('row').add().loadU8().if(() => {
          f.get('bag').i32(0).geS().if(() => { f.get('bag').get('row').add().i32(0).storeU8(); });
          f.br('sampled');
        });
      });
      f.get('gradient').get('bag').i32(0).geS().and().if(() => {
        // bag[row] = sample && fmix(seedHash ^ fmix(row ^ 0x5bd1e995)) / 2^32 >= rate ? 0 : 1
        f.i32(1).set('ib');
        f.get('sample').if(() => {
          f.i32(1);
          f.get('seedHash').get('row').i32(0x5bd1e995).xor(); emitFmix(f); f.xor(); emitFmix(f);
          f.fromU32().f64(4294967296).fdiv().get('rate').fge().sub().set('ib');
        });
        f.get('bag').get('row').add().get('ib').storeU8();
      });
    });
    f.get('gradient').if(() => {
      if (loss === 0) {
        f.addr8('grad', 'row').addr8('pred', 'row').loadF64().addr8('labels', 'row').loadF64().fsub().storeF64();
      } else if (loss === 1) {
        f.addr8('grad', 'row').f64(1).f64(-1);
        f.addr8('labels', 'row').loadF64().addr8('pred', 'row').loadF64().fsub().f64(0).flt();
        f.select().storeF64();
      } else {
        f.f64(-2).addr8('pred', 'row').loadF64().fmul().set('x');
        f.f64(1).f64(1); emitExp(f, 'x'); f.fadd().fdiv().set('p');
        f.addr8('grad', 'row').get('p').addr8('labels', 'row').loadF64().fsub().storeF64();
        f.addr8('hess', 'row').get('p').f64(1).get('p').fsub().fmul().f64(1e-16).fmax().storeF64();
      }
    });
  });
  return f;
}
