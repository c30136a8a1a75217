import { parseOptions } from '@biaslab/core';
import type {
  ComponentKind,
  ComponentOfKind,
  DatasetComponent,
  LossKind,
  MetricComponent,
  ModelComponent,
  OptimizerComponent,
  Registry,
} from '@biaslab/core';
import { experimentPoints } from './experiment';
import type { ExperimentConfig } from './experiment';
import type { GridPoint } from './grid';
import { gridLabel } from './grid';
import { lrGridValues } from './lr-grid';
import { toJson } from '@biaslab/results';

/** A component with its validated options. */
export interface Resolved<C> {
  readonly name: string;
  readonly component: C;
  readonly options: any;
}

/** One point of the grid with its components looked up and their options validated. */
export interface ResolvedPoint {
  /** Position of the point in the grid (0 when there is no grid). */
  readonly index: number;
  /** The point's grid values (empty without a grid). */
  readonly grid: GridPoint;
  /** `model.alpha=0.1 seed=2`, or '' without a grid. */
  readonly label: string;
  /** The point's own configuration (`grid` empty). */
  readonly config: ExperimentConfig;
  readonly model: Resolved<ModelComponent>;
  readonly dataset: Resolved<DatasetComponent>;
  readonly optimizer: Resolved<OptimizerComponent>;
  readonly metrics: readonly Resolved<MetricComponent>[];
  /** The metric used for S along the gradient flow, when the flow runs. */
  readonly flowSharpness?: Resolved<MetricComponent>;
  readonly loss: LossKind;
  /** The learning rates of the first pass. */
  readonly lrs: readonly number[];
  readonly flowEnabled: boolean;
  /**
   * Identity of the gradient-flow reference: points with equal keys (same model, data, seed, init, loss,
   * dtype and flow settings) share one flow.
   */
  readonly flowKey: string;
  /** Identity of the compiled objectives and θ₀: points with equal keys share them within a worker. */
  readonly prepareKey: string;
}

/** An experiment whose grid is expanded and whose components are resolved for every point. */
export interface ResolvedExperiment {
  readonly config: ExperimentConfig;
  readonly points: readonly ResolvedPoint[];
  /** The learning rates of the first pass (the same for every point). */
  readonly lrs: readonly number[];
  /** `run` (flow off by default) or `sweep` (flow on by default); workers resolve with the same mode. */
  readonly mode: 'run' | 'sweep';
}

/**
 * Expands the grid and, for every point, looks up each component in `registry` and validates its options
 * with the component's own schema (`parseOptions`). `mode` decides the flow default: on for sweeps, off
 * for single runs. Any bad point fails here, before anything runs.
 */
export function resolveExperiment(
  config: ExperimentConfig,
  registry: Registry,
  mode: 'run' | 'sweep' = 'sweep',
): ResolvedExperiment {
  const points = experimentPoints(config).map((point, index) =>
    resolvePoint(point.config, point.grid, index, registry, mode),
  );
  return { config, points, lrs: points[0].lrs, mode };
}

function resolvePoint(
  config: ExperimentConfig,
  grid: GridPoint,
  index: number,
  registry: Registry,
  mode: 'run' | 'sweep',
): ResolvedPoint {
  const where = Object.keys(grid).length > 0 ? ` (grid point \`${gridLabel(grid)}\`)` : '';
  const resolve = <K extends ComponentKind>(
    kind: K,
    ref: { name: string; options: Record<string, unknown> },
  ) => {
    const component = registry.get(kind, ref.name) as ComponentOfKind[K];
    return {
      name: ref.name,
      component,
      options: parseOptions(component.options, ref.options, `${kind}/${ref.name}${where}`),
    };
  };
  const metrics = config.metrics.map((m) => resolve('metric', m));
  const flowEnabled = config.flow.enabled ?? mode === 'sweep';
  let flowSharpness: Resolved<MetricComponent> | undefined;
  let flowSharpnessRef: unknown;
  if (flowEnabled) {
    const listed = config.metrics.find((m) => m.name === config.flow.sharpness);
    flowSharpnessRef = listed ?? { name: config.flow.sharpness, options: {} };
    flowSharpness =
      metrics.find((m) => m.name === config.flow.sharpness) ??
      resolve('metric', { name: config.flow.sharpness, options: {} });
  }
  const data = {
    model: config.model,
    dataset: config.dataset,
    loss: config.loss,
    dtype: config.dtype,
    seed: config.seed,
    threads: config.threads ?? null,
  };
  const flowKey = flowEnabled
    ? toJson({
        ...data,
        flow: { ...config.flow, enabled: true, epsilon: config.flow.epsilon ?? config.stop.epsilon },
        sharpness: flowSharpnessRef,
      })
    : '';
  const model = resolve('model', config.model);
  const optimizer = resolve('optimizer', config.optimizer);
  return {
    index,
    grid,
    label: gridLabel(grid),
    config,
    model,
    dataset: resolve('dataset', config.dataset),
    optimizer,
    metrics,
    flowSharpness,
    loss: config.loss,
    lrs: config.lrs ?? lrGridValues(config.lrGrid!),
    flowEnabled,
    flowKey,
    prepareKey: toJson({ ...data, metrics: config.metrics, flow: flowEnabled ? flowSharpnessRef : null }),
  };
}
