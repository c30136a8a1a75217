import type { ResolvedExperiment } from './resolve-experiment';
import { formatEta } from './lr-grid';

/** The ids (file stems) of an experiment's flows and runs. */
export interface ExperimentLayout {
  /** Distinct gradient-flow references, in order of first use, with the points that share each. */
  readonly flows: readonly { readonly id: string; readonly points: readonly number[] }[];
  /** The flow id of each point (undefined where the flow is off). */
  readonly flowOf: readonly (string | undefined)[];
  /** The id of the `index`-th run of `point` at η. */
  runId(point: number, index: number, eta: number): string;
}

/**
 * Names flows and runs. Without a grid: `flow` and `000-eta0.1` (position in the η list, then η); with one:
 * `flows/f00`, `flows/f01`, … (one per distinct flow key) and `p00-000-eta0.1`.
 */
export function experimentLayout(resolved: ResolvedExperiment): ExperimentLayout {
  const grid = resolved.points.length > 1;
  const width = String(resolved.points.length - 1).length < 2 ? 2 : String(resolved.points.length - 1).length;
  const byKey = new Map<string, { id: string; points: number[] }>();
  const flowOf = resolved.points.map((p) => {
    if (!p.flowEnabled) return undefined;
    let flow = byKey.get(p.flowKey);
    if (!flow) {
      flow = { id: '', points: [] };
      byKey.set(p.flowKey, flow);
    }
    flow.points.push(p.index);
    return flow;
  });
  const flows = [...byKey.values()];
  const single = flows.length === 1 && !grid;
  flows.forEach((f, i) => (f.id = single ? 'flow' : `flows/f${String(i).padStart(width, '0')}`));
  return {
    flows,
    flowOf: flowOf.map((f) => f?.id),
    runId: (point, index, eta) =>
      `${grid ? `p${String(point).padStart(width, '0')}-` : ''}${String(index).padStart(3, '0')}-eta${formatEta(eta)}`,
  };
}
