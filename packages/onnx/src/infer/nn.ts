import type { GraphNode } from '@biaslab/core';
import { DATA_TYPE_CODE } from '../codec';
import type { ValueType } from '../infer';
import { intAttr, normAxis } from './attributes';
import { convType, poolType } from './conv';
import { parseEinsum } from './einsum';

const DTYPE_OF_CODE = new Map(Object.entries(DATA_TYPE_CODE).map(([k, v]) => [v, k as ValueType['dtype']]));

/**
 * Output types of the normalisation, Dropout, Einsum, convolution and pooling ops, or undefined for any other
 * op. `input(i)` gives the type of input i; `fail` raises the node's shape error.
 */
export function inferNormConvNode(
  node: GraphNode,
  input: (i: number) => ValueType,
  opset: number,
  fail: (what: string) => never,
): ValueType[] | undefined {
  const a = node.attributes;
  const x = node.inputs.length ? input(0) : undefined;
  switch (node.op) {
    case 'Dropout':
      return [
        { dtype: x!.dtype, shape: x!.shape },
        { dtype: 'bool', shape: x!.shape },
      ];
    case 'LayerNormalization': {
      const r = x!.shape.length;
      const axis = normAxis(intAttr(a, 'axis', -1), r);
      const stats = x!.shape.map((d, i) => (i < axis ? d : 1));
      // Mean and InvStdDev have the `stash_type` precision (default float32), not X's
      const stash = DTYPE_OF_CODE.get(intAttr(a, 'stash_type', DATA_TYPE_CODE.float32)) ?? 'float32';
      return [
        { dtype: x!.dtype, shape: x!.shape },
        { dtype: stash, shape: stats },
        { dtype: stash, shape: stats },
      ];
    }
    case 'BatchNormalization': {
      if (x!.shape.length < 2) fail(`X must have rank ≥ 2 ([N, C, …]), received [${x!.shape.join(', ')}]`);
      const c = x!.shape[1];
      for (let i = 1; i <= 4; i++)
        if (input(i).shape.length !== 1 || input(i).shape[0] !== c)
          fail(
            `input ${i} must have shape [${c}] (one value per channel), received [${input(i).shape.join(', ')}]`,
          );
      const y: ValueType = { dtype: x!.dtype, shape: x!.shape };
      // running mean and variance are outputs only in training mode (opset 14 on)
      if (opset < 14 || intAttr(a, 'training_mode', 0) === 0) return [y];
      return [y, { dtype: x!.dtype, shape: [c] }, { dtype: x!.dtype, shape: [c] }];
    }
    case 'Einsum': {
      const eq = a.equation?.type === 'string' ? a.equation.value : fail('attribute `equation` is required');
      const spec = parseEinsum(
        eq,
        node.inputs.map((_, i) => input(i).shape),
      );
      return [{ dtype: x!.dtype, shape: spec.output.map((c) => spec.sizes.get(c)!) }];
    }
    case 'Conv':
      return [convType(x!, input(1), a, fail)];
    case 'MaxPool': {
      // the optional second output holds the flat indices of the maxima
      const y = poolType(x!, a, fail);
      return node.outputs.length > 1 ? [y, { dtype: 'int64', shape: y.shape }] : [y];
    }
    case 'AveragePool':
      return [poolType(x!, a, fail)];
    case 'GlobalAveragePool':
    case 'GlobalMaxPool':
      if (x!.shape.length < 3)
        fail(`X must have rank ≥ 3 ([N, C, spatial…]), received [${x!.shape.join(', ')}]`);
      return [{ dtype: x!.dtype, shape: x!.shape.map((d, i) => (i < 2 ? d : 1)) }];
  }
  return undefined;
}
