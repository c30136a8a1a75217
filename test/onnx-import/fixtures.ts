// Loading the committed PyTorch fixtures (test/fixtures/onnx, written by tooling/fixtures/export_onnx_fixtures.py)
// as biaslab models and datasets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { floatTensor } from '@biaslab/core';
import type { DataSplit, FloatDType } from '@biaslab/core';
import { importOnnxModel } from '@biaslab/onnx';
import type { ImportOnnxOptions, ImportedOnnxModel } from '@biaslab/onnx';
import { OPS } from '@biaslab/autodiff';

export const FIXTURE_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'fixtures', 'onnx');

/** The reference JSON PyTorch wrote next to each fixture (float64 numbers over `model.parameters()`). */
export interface FixtureReference {
  readonly name: string;
  readonly normalisation: string;
  readonly inputShape: number[];
  readonly outputSize: number;
  readonly n: number;
  readonly x: number[];
  readonly y: number[];
  readonly prediction: number[];
  readonly loss: number;
  readonly gradNorm: number;
  /** The three largest Hessian eigenvalues, descending. */
  readonly hessianTop: number[];
  readonly hessianMin: number;
  readonly hessianTrace: number;
  readonly parameterCount: number;
  readonly parameters: { name: string; shape: number[] }[];
}

export const FIXTURES = ['mlp', 'cnn', 'resnet-block', 'transformer-block'] as const;
export type FixtureName = (typeof FIXTURES)[number];

export function fixturePath(name: FixtureName): string {
  return join(FIXTURE_DIR, `${name}.onnx`);
}

export function fixtureBytes(name: FixtureName): Uint8Array {
  const b = readFileSync(fixturePath(name));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function reference(name: FixtureName): FixtureReference {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8')) as FixtureReference;
}

/** The fixture's data as a training split in `dtype`. */
export function split(ref: FixtureReference, dtype: FloatDType): DataSplit {
  return {
    x: floatTensor(dtype, [ref.n, ...ref.inputShape], ref.x),
    y: floatTensor(dtype, [ref.n, ref.outputSize], ref.y),
  };
}

/** The fixture imported for training (the ModelInstance `model/onnx` returns for data of the fixture's shapes). */
export function fixtureModel(
  name: FixtureName,
  options: Omit<ImportOnnxOptions, 'ops'> = {},
): ImportedOnnxModel {
  return importOnnxModel(fixtureBytes(name), { ops: OPS, ...options });
}
