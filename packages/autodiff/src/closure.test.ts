import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeValue } from '@biaslab/core';
import { GraphBuilder, inferNode } from '@biaslab/onnx';
import type { ValueType } from '@biaslab/onnx';
import { Emitter } from './emitter';
import { unbroadcast } from './reverse';
import { OPS, VJP_RULES, findRule, ruleCovers } from './op-registry';
import { sampleConstant } from './rule';
import type { RuleSample, VjpContext, VjpRule } from './rule';

/** Opsets 13…21 a rule covers, or its last opset for pre-13 forms. */
function opsets(rule: VjpRule): number[] {
  const all = Array.from({ length: 21 - 13 + 1 }, (_, i) => 13 + i).filter((o) => ruleCovers(rule, o));
  return all.length ? all : [rule.until!];
}

/** Builds the sample node, runs the rule with a cotangent on every float output, forces every gradient. */
function emitGradients(
  rule: VjpRule,
  sample: RuleSample,
  opset: number,
  dtype: 'float32' | 'float64',
): Emitter {
  const b = new GraphBuilder(`${rule.op}-closure`, opset);
  const types = new Map<string, ValueType>();
  const e = new Emitter(b, types);
  const inputs = sample.inputs.map((spec, i) => {
    if (spec === null) return '';
    if ('float' in spec) {
      const name = b.addInput(`x${i}`, dtype, spec.float);
      types.set(name, { dtype, shape: spec.float });
      return name;
    }
    const { tensor, type } = sampleConstant(spec);
    const name = b.constant(tensor);
    types.set(name, type);
    return name;
  });
  const attributes = { ...(sample.attributes ?? {}) } as Record<string, AttributeValue>;
  const out = b.op(rule.op, inputs, attributes);
  const node = { op: rule.op, name: `${out}_node`, inputs, outputs: [out], attributes };
  const [yType] = inferNode(node, types, opset, OPS);
  types.set(out, yType);
  const isFloat = yType.dtype === 'float32' || yType.dtype === 'float64';
  const cot = isFloat ? b.addInput('cot', yType.dtype, yType.shape) : undefined;
  if (cot) types.set(cot, yType);
  const cotangents = [cot];
  const ctx: VjpContext = { node, opset, e, cotangents, g: cot ?? '', type: (n) => e.type(n) };
  const grads = rule.vjp(ctx);
  assert.ok(
    grads.slice(inputs.length).every((lazy) => !lazy),
    `${rule.op}: a gradient for an input the node does not have`,
  );
  grads.forEach((lazy, i) => {
    if (!lazy || !cot) return;
    const g = lazy();
    // the walker's reduction must bring every gradient to its input's shape and dtype
    const reduced = unbroadcast(e, g, e.type(inputs[i]).shape, node);
    assert.deepEqual(
      e.type(reduced).shape,
      e.type(inputs[i]).shape,
      `${rule.op} ${sample.label}: gradient of input ${i}`,
    );
    assert.equal(
      e.type(reduced).dtype,
      e.type(inputs[i]).dtype,
      `${rule.op} ${sample.label}: dtype of gradient ${i}`,
    );
  });
  return e;
}

test('every rule has samples and an opset range', () => {
  for (const rule of VJP_RULES) {
    assert.ok(rule.samples.length > 0, `rule for \`${rule.op}\` has no samples`);
    assert.ok(
      rule.until === undefined || rule.until >= rule.since,
      `rule for \`${rule.op}\` has an empty range`,
    );
  }
});

test('rule ranges of one op do not overlap', () => {
  for (const rule of VJP_RULES) {
    for (const other of VJP_RULES) {
      if (rule === other || rule.op !== other.op) continue;
      const overlap = rule.since <= (other.until ?? Infinity) && other.since <= (rule.until ?? Infinity);
      assert.ok(
        !overlap,
        `rules for \`${rule.op}\` overlap: ${rule.since}–${rule.until} and ${other.since}–${other.until}`,
      );
    }
  }
});

test('closure: every op a rule (or the walker) emits has a rule at the same opset', () => {
  let checked = 0;
  for (const rule of VJP_RULES) {
    for (const sample of rule.samples) {
      for (const opset of opsets(rule)) {
        for (const dtype of ['float64', 'float32'] as const) {
          const e = emitGradients(rule, sample, opset, dtype);
          for (const n of e.emitted) {
            assert.ok(
              findRule(n.op, opset),
              `rule \`${rule.op}\` (${sample.label}, opset ${opset}) emits \`${n.op}\`, which has no rule at opset ${opset}`,
            );
            checked++;
          }
        }
      }
    }
  }
  assert.ok(checked > 100, `only ${checked} emitted nodes were checked`);
});

test('constants emitted by rules take the dtype of the values they combine with', () => {
  for (const rule of VJP_RULES) {
    for (const sample of rule.samples) {
      for (const dtype of ['float32', 'float64'] as const) {
        const e = emitGradients(rule, sample, opsets(rule)[0], dtype);
        for (const n of e.emitted) {
          const floats = n.inputs
            .filter((i) => i && ['float32', 'float64'].includes(e.type(i).dtype))
            .map((i) => e.type(i).dtype);
          assert.ok(
            new Set(floats).size <= 1,
            `${rule.op} ${sample.label}: \`${n.op}\` mixes ${floats.join(' and ')}`,
          );
          if (n.op !== 'Cast' && rule.op !== 'Cast')
            assert.ok(
              floats.every((d) => d === dtype),
              `${rule.op} ${sample.label}: \`${n.op}\` uses ${floats} in a ${dtype} graph`,
            );
        }
      }
    }
  }
});
