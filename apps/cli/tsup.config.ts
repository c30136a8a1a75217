import { biaslabTsup } from '@biaslab/tooling/tsup';

export default biaslabTsup({ entry: ['src/index.ts', 'src/bin.ts', 'src/worker.ts'] });
