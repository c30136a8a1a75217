import type { RunStatus } from './stop-rules';

/** The gradient-flow reference as reported: s_GF, t_ε and η_c = 2/s_GF. */
export interface FlowSummary {
  readonly type: 'final';
  readonly status: RunStatus;
  readonly reason: string;
  readonly sGF: number;
  readonly etaC: number;
  /** S at the flow's last iterate (see `GradientFlowResult.sFinal`); absent in results written before it existed. */
  readonly sFinal?: number;
  readonly tEps: number | null;
  readonly epsilon: number;
  readonly steps: number;
  readonly loss: number | null;
  readonly thetaL1: number;
  readonly betaL1?: number;
  readonly seconds: number;
  /** The flow's identity in the experiment directory (`flow`, `flows/f01`). */
  readonly flow?: string;
}
