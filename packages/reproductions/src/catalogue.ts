import type { Reproduction } from './reproduction';
import { dlnOnePoint } from './dln-onepoint';
import { dlnSparse } from './dln-sparse';
import { phaseDiagram } from './phase-diagram';
import { eosTrajectories } from './eos-trajectories';
import { initShift } from './init-shift';
import { normRobustness } from './norm-robustness';
import { widthMup } from './width-mup';

/** Every reproduction `biaslab reproduce NAME` knows, in the order of SCIENCE.md's claims. */
export const REPRODUCTIONS: readonly Reproduction[] = [
  dlnOnePoint,
  dlnSparse,
  phaseDiagram,
  eosTrajectories,
  initShift,
  normRobustness,
  widthMup,
];
