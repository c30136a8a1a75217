export { GraphBuilder, attr, scalarTensor, DEFAULT_OPSET } from './builder';
export { encodeModel, decodeModel, DATA_TYPE_CODE } from './codec';
export type { EncodeOptions } from './codec';
export { convertFloatType } from './convert-dtype';
export {
  inferTypes,
  inferNode,
  isDefaultDomain,
  typeOfTensor,
  broadcastShapes,
  intAttr,
  intsAttr,
  floatAttr,
  normAxis,
  MAX_TRACKED,
} from './infer';
export type { ValueType, ShapeContext, ShapeRule, ShapeRuleSet } from './infer';
export { importOnnxModel, IMPORT_DATA_INPUT, MIN_IMPORT_OPSET } from './import/import-model';
export type { ImportOnnxOptions, ImportedOnnxModel, ImportInfo } from './import/import-model';
export { readOnnxModel, DEFAULT_MAX_TENSOR_BYTES } from './import/read-model';
export type { ReadOnnxOptions, OnnxFile } from './import/read-model';
export { foldShapes } from './import/fold-shapes';
export type { FoldResult } from './import/fold-shapes';
export { applyMode } from './import/apply-mode';
export type { LayerMode } from './import/apply-mode';
export { extractParameters, untieInitializers, globToRegExp } from './import/parameters';
export type { ParameterPatterns, ImportedParameters } from './import/parameters';
export { writeOnnxParams } from './export-params';
export type { ParamValues } from './export-params';
