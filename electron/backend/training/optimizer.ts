// Adam, RMSprop and SGD applied in JavaScript to the parameters a batch
// touched. Updating only touched rows of the hashed table ("lazy" Adam) is
// what makes training fast: a dense update of a 2^18 × 16 table costs more
// than the whole forward and backward pass of a batch.
import type { OptimizerKind } from '../../../shared/types';

const BETA1 = 0.9;
const BETA2 = 0.999;
const RHO = 0.9;
const EPS = 1e-8;

export interface Optimizer {
  /** Starts a new step; Adam's bias correction counts steps. */
  nextStep(): void;
  /**
   * Updates param[index(k)] with gradient grad[k] for k in [0, grad.length),
   * adding the L2 penalty's gradient on the way.
   */
  update(name: string, param: Float32Array, grad: ArrayLike<number>, index: (k: number) => number, l2: number): void;
}

export function createOptimizer(kind: OptimizerKind, learningRate: number, sizes: Record<string, number>): Optimizer {
  const first: Record<string, Float32Array> = {};
  const second: Record<string, Float32Array> = {};
  for (const [name, size] of Object.entries(sizes)) {
    if (kind === 'adam') first[name] = new Float32Array(size);
    if (kind !== 'sgd') second[name] = new Float32Array(size);
  }
  let step = 0;
  return {
    nextStep() {
      step++;
    },
    update(name, param, grad, index, l2) {
      const m = first[name];
      const v = second[name];
      const correction1 = 1 - BETA1 ** step;
      const correction2 = 1 - BETA2 ** step;
      for (let k = 0; k < grad.length; k++) {
        const i = index(k);
        const g = grad[k]! + l2 * param[i]!;
        if (kind === 'sgd') param[i] -= learningRate * g;
        else if (kind === 'rmsprop') {
          v![i] = RHO * v![i]! + (1 - RHO) * g * g;
          param[i] -= (learningRate * g) / (Math.sqrt(v![i]!) + EPS);
        } else {
          m![i] = BETA1 * m![i]! + (1 - BETA1) * g;
          v![i] = BETA2 * v![i]! + (1 - BETA2) * g * g;
          param[i] -= (learningRate * (m![i]! / correction1)) / (Math.sqrt(v![i]! / correction2) + EPS);
        }
      }
    },
  };
}
