import { defineOp } from '../op-definition';
import { globalPoolShape } from './GlobalAveragePool';

/** Y[n, c] = max over the spatial axes of X[n, c, …]: imported and run, not differentiated. */
export const GlobalMaxPool = defineOp({ op: 'GlobalMaxPool', shape: globalPoolShape });
