import { BiaslabError } from '@biaslab/core';
import type { Reproduction } from './reproduction';
import { dlnOnePoint } from './dln-onepoint';
import { dlnSparse } from './dln-sparse';
import { phaseDiagram } from './phase-diagram';
import { eosTrajectories } from './eos-trajectories';
import { initShift } from './init-shift';
import { normRobustness } from './norm-robustness';
import { widthMup } from './width-mup';

/** Every reproduction, in the order of the claims of docs/science.md. */
export const REPRODUCTIONS: readonly Reproduction[] = [
  dlnOnePoint,
  dlnSparse,
  phaseDiagram,
  eosTrajectories,
  initShift,
  normRobustness,
  widthMup,
];

/** The reproduction called `name`, or a BiaslabError listing the known names. */
export function findReproduction(name: string): Reproduction {
  const found = REPRODUCTIONS.find((r) => r.name === name);
  if (!found) {
    throw new BiaslabError('INVALID_OPTIONS', `Unknown reproduction \`${name}\`; known: ${knownNames()}.`);
  }
  return found;
}

/** The known names, in backticks, for error messages. */
export function knownNames(): string {
  return REPRODUCTIONS.map((r) => `\`${r.name}\``).join(', ');
}
