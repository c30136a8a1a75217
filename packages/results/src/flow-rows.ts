import { z } from '@biaslab/core';
import { runStatusSchema } from './run-rows';

const maybe = z.number().nullable();

/** One row of the gradient flow's path: time, loss and the sharpness, where it was estimated. */
export const flowRowSchema = z
  .object({
    type: z.literal('flow'),
    step: z.int().nonnegative(),
    t: z.number(),
    loss: maybe,
    /** S(θ(t)) when it was estimated at this point. */
    sharpness: maybe.optional(),
    /** The RK4 step h = min(c/S(θ), h_max) taken from here. */
    h: z.number(),
  })
  .describe('flow path row');
export type FlowRow = z.infer<typeof flowRowSchema>;

/** The gradient-flow reference as reported: s_GF, t_ε and η_c = 2/s_GF (the flow file's final row, θ aside). */
export const flowSummarySchema = z
  .object({
    type: z.literal('final'),
    status: runStatusSchema,
    reason: z.string(),
    /** s_GF = max S(θ(t)) over the estimates along the path up to t_ε (0 when none was finite). */
    sGF: z.number(),
    /** η_c = 2/s_GF; null when s_GF is 0. */
    etaC: maybe,
    /** S at the flow's last iterate, S(θ_GF(t_ε)); absent in results written before it existed. */
    sFinal: maybe.optional(),
    /** First integration time with L < ε; null when the flow did not get there. */
    tEps: maybe,
    epsilon: z.number(),
    steps: z.int().nonnegative(),
    loss: maybe,
    thetaL1: maybe,
    betaL1: maybe.optional(),
    seconds: z.number(),
    /** The flow's id in the experiment directory (`flow`, `flows/f01`). */
    flow: z.string().optional(),
  })
  .describe('flow summary');
export type FlowSummary = z.infer<typeof flowSummarySchema>;

/** The last row of a finished flow's file: its summary, its id and the final θ. */
export const flowFinalRowSchema = flowSummarySchema
  .extend({ flow: z.string(), theta: z.array(maybe) })
  .describe('final row of a gradient flow');
export type FlowFinalRow = z.infer<typeof flowFinalRowSchema>;

/** Any row of a flow file (`flow.jsonl`, `flows/<id>.jsonl`): path rows, then one final row. */
export const flowFileRowSchema = z
  .discriminatedUnion('type', [flowRowSchema, flowFinalRowSchema])
  .describe('flow-file row (`flow` or `final`)');
export type FlowFileRow = z.infer<typeof flowFileRowSchema>;
