/**
 * One learning rate's outcome as the sweep figures and tables read it. Every number may be missing (null):
 * metrics that did not run, non-finite values, runs that diverged before a metric was taken.
 */
export interface SweepPoint {
  readonly eta: number;
  /** `converged`, `capped` or `diverged` (other labels pass through and are drawn as such). */
  readonly status: string;
  readonly steps?: number | null;
  /** Final sharpness S = max |λ(∇²L)|. */
  readonly sharpness: number | null;
  readonly thetaL1?: number | null;
  readonly thetaL2?: number | null;
  /** ‖β‖₁ of the end-to-end predictor (diagonal networks). */
  readonly betaL1?: number | null;
  readonly loss?: number | null;
  readonly testLoss?: number | null;
  /** The `test-error` metric: ‖β − β*‖² with a ground truth, else the test loss. */
  readonly testError?: number | null;
  readonly testAccuracy?: number | null;
  readonly trainAccuracy?: number | null;
}

/** The regime markers a sweep figure draws: predicted η_c, observed break point, s_GF. */
export interface RegimeMarkers {
  /** Predicted η_c = 2/s_GF. */
  readonly etaC?: number | null;
  /** Observed break point (smallest converged η that left the flow-aligned regime). */
  readonly breakEta?: number | null;
  /** s_GF: the largest sharpness along the gradient-flow path. */
  readonly sGF?: number | null;
}
