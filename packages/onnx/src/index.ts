export { GraphBuilder, attr, scalarTensor, DEFAULT_OPSET } from './builder';
export { encodeModel, decodeModel, DATA_TYPE_CODE } from './codec';
export type { EncodeOptions } from './codec';
export { convertFloatType } from './convert-dtype';
export { inferTypes, inferNode, typeOfTensor, broadcastShapes, reshapeTarget, intAttr, intsAttr, floatAttr, normAxis } from './infer';
export type { ValueType } from './infer';
