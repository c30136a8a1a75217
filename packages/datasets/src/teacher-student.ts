import { defineDataset, floatTensor, z } from '@biaslab/core';
import type { Dataset, DatasetContext, Rng } from '@biaslab/core';

/** Activations the teacher may use. */
export const TEACHER_ACTIVATIONS = ['relu', 'tanh', 'identity', 'sigmoid', 'gelu'] as const;
export type TeacherActivation = (typeof TEACHER_ACTIVATIONS)[number];

/** Options of `dataset/teacher-student`. */
export const teacherStudentOptions = z
  .object({
    n: z.number().int().positive().default(100).describe('Number of training samples'),
    nTest: z
      .number()
      .int()
      .nonnegative()
      .default(1000)
      .describe('Number of test samples (noiseless; 0 for none)'),
    d: z.number().int().positive().default(10).describe('Input dimension d; inputs x ~ N(0, I_d)'),
    widths: z
      .array(z.number().int().positive())
      .default([20])
      .describe('Hidden-layer widths of the teacher MLP (empty for a linear teacher)'),
    outputs: z
      .number()
      .int()
      .positive()
      .default(1)
      .describe('Number of teacher outputs (regression targets)'),
    activation: z
      .enum(TEACHER_ACTIVATIONS)
      .default('relu')
      .describe('Teacher activation after every hidden layer'),
    biases: z.boolean().default(false).describe('Give the teacher biases b ~ N(0, 1) in every layer'),
    noise: z
      .number()
      .nonnegative()
      .default(0)
      .describe('Standard deviation σ of Gaussian noise on training targets'),
    dtype: z.enum(['float32', 'float64']).default('float64').describe('Element type of the x and y tensors'),
  })
  .strict();

export type TeacherStudentOptions = z.infer<typeof teacherStudentOptions>;

/** The teacher's layers: W_l is [out, in] row-major, with weights N(0, 1/in) so pre-activations stay O(1). */
export interface TeacherLayer {
  readonly weight: Float64Array;
  readonly bias: Float64Array;
  readonly inputs: number;
  readonly outputs: number;
}

/** A seeded random teacher f(x) = W_L σ(… σ(W_1 x + b_1) …) + b_L, weights N(0, 1/fan_in). */
export function randomTeacher(rng: Rng, sizes: readonly number[], biases: boolean): TeacherLayer[] {
  return sizes.slice(1).map((outputs, l) => {
    const inputs = sizes[l];
    const layerRng = rng.fork(`layer-${l}`);
    const weight = layerRng.normals(outputs * inputs).map((w) => w / Math.sqrt(inputs));
    const bias = biases ? layerRng.fork('bias').normals(outputs) : new Float64Array(outputs);
    return { weight, bias, inputs, outputs };
  });
}

/** The teacher's outputs for n rows of x ([n, d] row-major): [n, outputs] row-major. */
export function teacherForward(
  layers: readonly TeacherLayer[],
  x: Float64Array,
  n: number,
  activation: TeacherActivation,
): Float64Array {
  let h = x;
  layers.forEach((layer, l) => {
    const out = new Float64Array(n * layer.outputs);
    const last = l === layers.length - 1;
    for (let s = 0; s < n; s++) {
      for (let o = 0; o < layer.outputs; o++) {
        // z = W h + b
        let z = layer.bias[o];
        for (let i = 0; i < layer.inputs; i++)
          z += layer.weight[o * layer.inputs + i] * h[s * layer.inputs + i];
        out[s * layer.outputs + o] = last ? z : activate(z, activation);
      }
    }
    h = out;
  });
  return h;
}

function activate(z: number, activation: TeacherActivation): number {
  switch (activation) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'tanh':
      return Math.tanh(z);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'gelu':
      // tanh approximation of z·Φ(z) (Hendrycks & Gimpel 2016)
      return 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
    case 'identity':
      return z;
  }
}

/**
 * Teacher–student regression: a random MLP teacher (widths, activation, seeded), Gaussian inputs x ~ N(0, I_d)
 * and targets y = f_teacher(x) + σ·ε on the training split (ε ~ N(0, 1)); test targets are noiseless. Streams:
 * `teacher`, `train`, `test`, `noise`.
 */
export const teacherStudentDataset = defineDataset<TeacherStudentOptions>({
  name: 'teacher-student',
  summary: 'Gaussian inputs labelled by a random MLP teacher, y = f(x) + σ·ε',
  description:
    'x ~ N(0, I_d); the teacher is an MLP d → widths… → outputs with weights N(0, 1/fan_in) (and biases N(0, 1) ' +
    'when `biases`), the chosen activation after every hidden layer and a linear output. Training targets get ' +
    'Gaussian noise of standard deviation `noise`; test targets are noiseless.',
  options: teacherStudentOptions,
  load(options: TeacherStudentOptions, context: DatasetContext): Dataset {
    const { n, nTest, d, widths, outputs, activation, biases, noise, dtype } = options;
    const teacher = randomTeacher(context.rng.fork('teacher'), [d, ...widths, outputs], biases);
    const sample = (stream: string, rows: number) => {
      const x = context.rng.fork(stream).normals(rows * d);
      return { x, y: teacherForward(teacher, x, rows, activation) };
    };
    const train = sample('train', n);
    if (noise > 0) {
      const eps = context.rng.fork('noise').normals(n * outputs);
      // y = f(x) + σ·ε
      for (let i = 0; i < train.y.length; i++) train.y[i] += noise * eps[i];
    }
    const split = (rows: number, s: { x: Float64Array; y: Float64Array }) => ({
      x: floatTensor(dtype, [rows, d], s.x),
      y: floatTensor(dtype, [rows, outputs], s.y),
    });
    return {
      task: 'regression',
      inputShape: [d],
      outputSize: outputs,
      train: split(n, train),
      ...(nTest > 0 ? { test: split(nTest, sample('test', nTest)) } : {}),
      provenance:
        `dataset/teacher-student: x ~ N(0, I_${d}), teacher MLP ${[d, ...widths, outputs].join('-')} (${activation}, ` +
        `weights N(0, 1/fan_in)${biases ? ', biases N(0, 1)' : ', no biases'}), y = f(x) + ${noise}·ε on the train ` +
        `split, noiseless test; options ${JSON.stringify(options)}; seed ${context.rng.seed}`,
    };
  },
});
