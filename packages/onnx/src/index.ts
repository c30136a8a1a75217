export { GraphBuilder, attr, scalarTensor, DEFAULT_OPSET } from './builder';
export { encodeModel, decodeModel, DATA_TYPE_CODE } from './codec';
export type { EncodeOptions } from './codec';
export { convertFloatType } from './convert-dtype';
export {
  inferTypes,
  inferNode,
  typeOfTensor,
  broadcastShapes,
  reshapeTarget,
  intAttr,
  intsAttr,
  floatAttr,
  normAxis,
  parseEinsum,
  convGeometry,
  padAmounts,
  paddedShape,
  sliceRanges,
  splitSizes,
} from './infer';
export type { ValueType, EinsumSpec, ConvGeometry, PadAmounts, SliceRange } from './infer';
