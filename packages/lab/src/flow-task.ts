import { BiaslabError } from '@biaslab/core';
import type { ResolvedPoint } from './resolve-experiment';
import type { PreparedExperiment } from './prepare';
import { gradientFlow } from './gradient-flow';
import { l1Norm } from './summary';
import type { FlowSummary } from '@biaslab/results';
import { PROGRESS_INTERVAL_MS } from './tasks';
import type { FinalRow, FlowTask, TaskCallbacks } from './tasks';

/**
 * Integrates the gradient-flow reference of a prepared point (`gradientFlow`), handing its path rows to
 * `callbacks` under the flow's id, and returns its final row: the flow summary, its id and final θ.
 */
export async function runFlowTask(
  task: FlowTask,
  point: ResolvedPoint,
  prepared: PreparedExperiment,
  callbacks: TaskCallbacks,
  signal?: AbortSignal,
): Promise<FinalRow> {
  if (!prepared.sharpness) {
    throw new BiaslabError(
      'INTERNAL',
      'The gradient-flow reference is enabled but no sharpness metric was resolved',
    );
  }
  const { config } = point;
  const epsilon = config.flow.epsilon ?? config.stop.epsilon;
  let lastReport = 0;
  const result = await gradientFlow({
    oracle: prepared.train,
    theta0: prepared.theta0,
    sharpness: prepared.sharpness,
    settings: { ...config.flow, epsilon },
    onRow: (row) => {
      callbacks.row(task.id, row as unknown as Record<string, unknown>);
      const now = performance.now();
      if (callbacks.progress && now - lastReport >= PROGRESS_INTERVAL_MS) {
        lastReport = now;
        callbacks.progress(task.id, { step: row.step, loss: row.loss, sharpness: row.sharpness });
      }
    },
    signal,
  });
  const beta = prepared.model.predictor?.(result.theta);
  const summary: FlowSummary = {
    type: 'final',
    status: result.status,
    reason: result.reason,
    sGF: result.sGF,
    etaC: result.etaC,
    sFinal: result.sFinal,
    tEps: result.tEps,
    epsilon,
    steps: result.steps,
    loss: Number.isFinite(result.loss) ? result.loss : null,
    thetaL1: l1Norm(result.theta),
    ...(beta ? { betaL1: l1Norm(beta) } : {}),
    seconds: result.seconds,
  };
  return { ...summary, flow: task.id, theta: result.theta };
}
