import { BiaslabError } from './errors';

/** Element types biaslab moves between packages. */
export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool';

/** Floating-point precisions a run can choose. */
export type FloatDType = 'float32' | 'float64';

/** Storage for each element type (`bool` as one byte per element). */
export interface TypedArrayOf {
  float32: Float32Array;
  float64: Float64Array;
  int64: BigInt64Array;
  int32: Int32Array;
  bool: Uint8Array;
}

/** A dense row-major tensor. */
export interface Tensor<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: TypedArrayOf[D];
}

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A float tensor, checking that the data length matches the shape. */
export function floatTensor<D extends FloatDType>(
  dtype: D,
  shape: readonly number[],
  data: ArrayLike<number>,
): Tensor<D> {
  const n = sizeOf(shape);
  if (data.length !== n) {
    throw new BiaslabError(
      'SHAPE',
      `Tensor data has ${data.length} elements but shape [${shape.join(', ')}] needs ${n}`,
    );
  }
  const array = dtype === 'float64' ? Float64Array.from(data) : Float32Array.from(data);
  return { dtype, shape: [...shape], data: array as TypedArrayOf[D] };
}

/** `t` itself when it already has `dtype`, else a copy of its values in `dtype` (float32 rounds). */
export function castFloatTensor<D extends FloatDType>(t: Tensor<FloatDType>, dtype: D): Tensor<D> {
  return t.dtype === dtype ? (t as Tensor<D>) : floatTensor(dtype, t.shape, t.data);
}

/** Copies a tensor's data into a Float64Array (for float tensors). */
export function toFloat64(t: Tensor): Float64Array {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    throw new BiaslabError('DTYPE', `Expected a float tensor, received \`${t.dtype}\``);
  }
  return Float64Array.from(t.data as Float32Array | Float64Array);
}
