import { attr } from '@biaslab/onnx';
import type { VjpRule } from '../rule';

/** A constant has no inputs, so nothing to send a cotangent to. */
export const Constant: VjpRule = {
  op: 'Constant',
  since: 1,
  samples: [
    {
      label: 'tensor',
      inputs: [],
      attributes: { value: attr.tensor({ dtype: 'float64', shape: [2], data: Float64Array.of(1, 2) }) },
    },
  ],
  vjp: () => [],
};
