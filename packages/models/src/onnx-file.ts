import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, normalize, resolve, sep } from 'node:path';
import { BiaslabError, defineModel, sizeOf, z } from '@biaslab/core';
import type { Graph, ModelComponent, ModelContext, ModelInstance, ParamLayout } from '@biaslab/core';
import { OPS } from '@biaslab/autodiff';
import { IMPORT_DATA_INPUT, importOnnxModel, writeOnnxParams } from '@biaslab/onnx';
import type { ImportedOnnxModel } from '@biaslab/onnx';

/** Options of `model/onnx`. */
export const onnxFileOptions = z
  .object({
    path: z
      .string()
      .min(1)
      .describe(
        'The `.onnx` file (e.g. from `torch.onnx.export`); external-data files are read from its directory',
      ),
    train: z
      .array(z.string())
      .default(['*'])
      .describe('Glob patterns (`*`, `?`) over initializer names: the parameters that train'),
    freeze: z
      .array(z.string())
      .default([])
      .describe(
        'Glob patterns of parameters kept at their initial value (in θ, not trained); wins over `train`',
      ),
    mode: z
      .enum(['eval', 'train'])
      .default('eval')
      .describe(
        '`eval`: Dropout is the identity, BatchNorm uses running statistics; `train`: BatchNorm uses batch statistics',
      ),
    input: z
      .string()
      .optional()
      .describe('Name of the data input (default: the one input that is not an initializer)'),
    output: z.string().optional().describe('Name of the output used as the prediction (default: the first)'),
    batchDim: z
      .union([z.literal('dynamic'), z.number().int().positive()])
      .default('dynamic')
      .describe(
        '`dynamic`: the batch dimension stays symbolic (any n); a number fixes it for models exported with a fixed batch',
      ),
  })
  .strict();

export type OnnxFileOptions = z.input<typeof onnxFileOptions>;
export type ResolvedOnnxFileOptions = z.output<typeof onnxFileOptions>;

/**
 * What the importer may check ops against: the derivative rules of @biaslab/autodiff. Given to
 * {@link createOnnxFileModel}, or as a `supportedOps` field on the ModelContext the host passes to `create`.
 */
export interface OnnxRuleInfo {
  /** Ops with a VJP rule at an opset (`supportedOps` of @biaslab/autodiff). */
  supportedOps(opset: number): readonly string[];
}

/**
 * `model/onnx` with op checking: with `rules`, an op that has no derivative rule fails model creation (before
 * any training) with an error naming op, node, opset and the supported list; without, such an op is reported
 * when the objective compiles its gradient graph.
 */
export function createOnnxFileModel(rules?: OnnxRuleInfo): ModelComponent<ResolvedOnnxFileOptions> {
  return defineModel<ResolvedOnnxFileOptions>({
    name: 'onnx',
    summary: 'A network from an .onnx file (e.g. exported by PyTorch): initializers become the parameters',
    description:
      'Reads the file, renames its data input to `x`, takes its first output as the prediction [N, outputSize], ' +
      'folds shape computations into constants, keeps BatchNorm running statistics constant and turns the other ' +
      "float initializers into parameters (θ₀ = the file's values). A dataset whose samples have the same number of " +
      'values as the model input but another shape is reshaped to it.',
    options: onnxFileOptions,
    create(options: ResolvedOnnxFileOptions, context: ModelContext): ModelInstance {
      // a host may pass the rule table in the context (see OnnxRuleInfo) instead of through the factory
      const fromContext = (context as ModelContext & Partial<OnnxRuleInfo>).supportedOps;
      const checks = rules ?? (fromContext ? { supportedOps: fromContext } : undefined);
      return instanceOf(loadOnnxFile(options, context.inputShape, checks), context);
    },
  });
}

/** `model/onnx` without op checking at creation (see {@link createOnnxFileModel}). */
export const onnxFileModel = createOnnxFileModel();

/** Reads and imports the file named by the options; `sampleShape` resolves symbolic non-batch dims. */
export function loadOnnxFile(
  options: ResolvedOnnxFileOptions,
  sampleShape: readonly number[] | undefined,
  rules?: OnnxRuleInfo,
): ImportedOnnxModel {
  const path = resolve(options.path);
  if (!existsSync(path)) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `\`model/onnx\`: no file \`${options.path}\` (resolved to \`${path}\`); give the path of an .onnx file`,
    );
  }
  const bytes = readFileSync(path);
  return importOnnxModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    ops: OPS,
    train: options.train,
    freeze: options.freeze,
    mode: options.mode,
    input: options.input,
    output: options.output,
    sampleShape,
    batchSize: options.batchDim === 'dynamic' ? undefined : options.batchDim,
    externalData: (location) => readExternal(dirname(path), location),
    ...(rules ? { supportedOps: (opset: number) => rules.supportedOps(opset) } : {}),
  });
}

/** An external-data file, which must lie inside the model's directory. */
function readExternal(dir: string, location: string): Uint8Array {
  const full = normalize(resolve(dir, location));
  if (isAbsolute(location) || !full.startsWith(dir + sep)) {
    throw new BiaslabError(
      'ONNX_FORMAT',
      `External data location \`${location}\` points outside the model's directory \`${dir}\`; ONNX stores these paths relative to the model`,
    );
  }
  if (!existsSync(full)) {
    throw new BiaslabError(
      'ONNX_FORMAT',
      `The model's external data file \`${location}\` is missing; expected it at \`${full}\``,
    );
  }
  const b = readFileSync(full);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The ModelInstance for a dataset: checks the output size and adapts the input shape when only the layout differs. */
function instanceOf(model: ImportedOnnxModel, context: ModelContext): ModelInstance {
  const out = model.graph.outputs[0];
  const k = out.shape[out.shape.length - 1];
  if (out.shape.length !== 2 || k !== context.outputSize) {
    throw new BiaslabError(
      'SHAPE',
      `\`model/onnx\`: the model's output \`${model.info.output}\` has shape [${out.shape.join(', ')}]; the dataset needs [N, ${context.outputSize}]. Export a model whose prediction is [batch, ${context.outputSize}] or pick the output with \`output\`.`,
    );
  }
  const sample = model.graph.inputs[0].shape.slice(1) as number[];
  const given = context.inputShape;
  if (sample.length === given.length && sample.every((d, i) => d === given[i])) return model;
  if (sizeOf(sample) !== sizeOf(given)) {
    throw new BiaslabError(
      'SHAPE',
      `\`model/onnx\`: the dataset's samples have shape [${given.join(', ')}] (${sizeOf(given)} values) but the model input \`${model.info.dataInput}\` takes [${sample.join(', ')}] (${sizeOf(sample)} values); use a dataset that fits the model`,
    );
  }
  return { graph: reshapeInput(model.graph, given, sample), layout: model.layout, init: model.init };
}

/** Prepends x [N, ...given] → Reshape → [N, ...sample] (same values per sample, another layout). */
function reshapeInput(graph: Graph, given: readonly number[], sample: readonly number[]): Graph {
  const taken = new Set([...graph.initializers.map((t) => t.name), ...graph.nodes.flatMap((n) => n.outputs)]);
  let inner = `${IMPORT_DATA_INPUT}/model_layout`;
  while (taken.has(inner)) inner += '_';
  const target = `${inner}/shape`;
  const x = graph.inputs[0];
  return {
    ...graph,
    inputs: [{ ...x, shape: [x.shape[0], ...given] }, ...graph.inputs.slice(1)],
    initializers: [
      ...graph.initializers,
      {
        name: target,
        dtype: 'int64',
        shape: [sample.length + 1],
        data: BigInt64Array.from([-1, ...sample].map(BigInt)),
      },
    ],
    nodes: [
      {
        op: 'Reshape',
        name: `${inner}/reshape`,
        inputs: [IMPORT_DATA_INPUT, target],
        outputs: [inner],
        attributes: {},
      },
      ...graph.nodes.map((n) => ({
        ...n,
        inputs: n.inputs.map((i) => (i === IMPORT_DATA_INPUT ? inner : i)),
      })),
    ],
  };
}

/**
 * The original model file with θ written back into its initializers (see `writeOnnxParams` of @biaslab/onnx):
 * loadable by onnxruntime and PyTorch, everything but the parameter values unchanged.
 */
export function writeTrainedOnnx(source: Uint8Array, layout: ParamLayout, theta: Float64Array): Uint8Array {
  layout.assertSized(theta);
  return writeOnnxParams(
    source,
    Object.fromEntries(layout.names.map((name) => [name, layout.view(theta, name)])),
  );
}
