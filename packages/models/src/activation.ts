import { z } from '@biaslab/core';
import type { FloatDType } from '@biaslab/core';
import type { GraphBuilder } from '@biaslab/onnx';

/** Activations every built-in network offers. */
export const ACTIVATIONS = ['relu', 'tanh', 'gelu', 'gelu-erf', 'elu', 'softplus', 'identity'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** The zod schema of an `activation` option, with its documentation. */
export function activationOption(fallback: Activation) {
  return z
    .enum(ACTIVATIONS)
    .default(fallback)
    .describe(
      'Activation: relu; tanh; gelu = ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (tanh approximation, float64-capable); ' +
        'gelu-erf = ½x(1 + erf(x/√2)) (exact; float32 only, onnxruntime has no float64 Erf); ' +
        'elu = x for x > 0, eˣ − 1 otherwise (α = 1); softplus = ln(1 + eˣ); identity',
    );
}

/**
 * Emits act(x) with ops that have autodiff rules and float64 kernels at opset 17 (except `gelu-erf`):
 * - gelu: ½x(1 + tanh(√(2/π)(x + 0.044715x³)))  (Hendrycks & Gimpel 2016, tanh form; PyTorch approximate="tanh")
 * - gelu-erf: ½x(1 + erf(x/√2))
 * - elu (α = 1): relu(x) + exp(−relu(−x)) − 1, which is x for x > 0 and eˣ − 1 otherwise (Clevert et al. 2016)
 * - softplus: relu(x) + ln(1 + exp(−|x|)), the overflow-free form of ln(1 + eˣ)
 * The Elu and Softplus ONNX ops are avoided because onnxruntime has float64 kernels for them only at opset 18.
 */
export function activationNode(g: GraphBuilder, act: Activation, x: string, dtype: FloatDType): string {
  const c = (value: number, name: string) => g.scalar(value, dtype, name);
  switch (act) {
    case 'relu':
      return g.op('Relu', [x], {}, 'relu');
    case 'tanh':
      return g.op('Tanh', [x], {}, 'tanh');
    case 'identity':
      return x;
    case 'gelu': {
      // u = √(2/π)(x + 0.044715x³); y = ½x(1 + tanh u)
      const x3 = g.op('Mul', [g.op('Mul', [x, x], {}, 'x2'), x], {}, 'x3');
      const inner = g.op('Add', [x, g.op('Mul', [x3, c(0.044715, 'gelu_k')], {}, 'kx3')], {}, 'gelu_inner');
      const u = g.op('Mul', [inner, c(Math.sqrt(2 / Math.PI), 'sqrt_2_over_pi')], {}, 'gelu_u');
      const onePlus = g.op('Add', [g.op('Tanh', [u], {}, 'gelu_tanh'), c(1, 'one')], {}, 'gelu_1p');
      return g.op('Mul', [g.op('Mul', [x, c(0.5, 'half')], {}, 'half_x'), onePlus], {}, 'gelu');
    }
    case 'gelu-erf': {
      // y = ½x(1 + erf(x/√2))
      const erf = g.op(
        'Erf',
        [g.op('Mul', [x, c(Math.SQRT1_2, 'inv_sqrt2')], {}, 'x_over_sqrt2')],
        {},
        'erf',
      );
      const onePlus = g.op('Add', [erf, c(1, 'one')], {}, 'gelu_1p');
      return g.op('Mul', [g.op('Mul', [x, c(0.5, 'half')], {}, 'half_x'), onePlus], {}, 'gelu');
    }
    case 'elu': {
      // elu(x) = relu(x) + exp(min(x, 0)) − 1, with min(x, 0) = −relu(−x)
      const negPart = g.op(
        'Neg',
        [g.op('Relu', [g.op('Neg', [x], {}, 'neg_x')], {}, 'relu_neg_x')],
        {},
        'min_x_0',
      );
      const expm1 = g.op('Sub', [g.op('Exp', [negPart], {}, 'exp_min'), c(1, 'one')], {}, 'expm1_min');
      return g.op('Add', [g.op('Relu', [x], {}, 'relu'), expm1], {}, 'elu');
    }
    case 'softplus': {
      // softplus(x) = relu(x) + ln(1 + exp(−|x|))
      const e = g.op(
        'Exp',
        [g.op('Neg', [g.op('Abs', [x], {}, 'abs_x')], {}, 'neg_abs_x')],
        {},
        'exp_neg_abs',
      );
      const log1p = g.op('Log', [g.op('Add', [e, c(1, 'one')], {}, 'one_plus_exp')], {}, 'log1p_exp');
      return g.op('Add', [g.op('Relu', [x], {}, 'relu'), log1p], {}, 'softplus');
    }
  }
}
