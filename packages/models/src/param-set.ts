import { ParamLayout } from '@biaslab/core';
import type { FloatDType, ParamSpec } from '@biaslab/core';
import type { GraphBuilder } from '@biaslab/onnx';

/**
 * Collects a model's parameters while its graph is built: each `add` declares a graph input with the
 * parameter's exact name (so the graph's inputs are `x` followed by the layout, in order) and records the
 * initial values. `finish` returns the layout and θ₀.
 */
export class ParamSet {
  private readonly specs: ParamSpec[] = [];
  private readonly values: Record<string, Float64Array> = {};

  constructor(
    private readonly g: GraphBuilder,
    private readonly dtype: FloatDType,
  ) {}

  /** Declares parameter `name` of `shape` with initial `values`; returns the graph value name. */
  add(name: string, shape: readonly number[], values: Float64Array): string {
    this.specs.push({ name, shape: [...shape] });
    this.values[name] = values;
    return this.g.addInput(name, this.dtype, shape);
  }

  /** The layout (declaration order) and the packed initial vector. */
  finish(): { layout: ParamLayout; init: Float64Array } {
    const layout = new ParamLayout(this.specs);
    return { layout, init: layout.pack(this.values) };
  }
}
