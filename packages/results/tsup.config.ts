import { biaslabTsup } from '@biaslab/tooling/tsup';

export default biaslabTsup();
