export { GraphSession } from './graph-session';
export type { SessionOptions } from './graph-session';
export { createObjective } from './objective';
export type { Objective, ObjectiveOptions } from './objective';
export { withLoss, fixBatch, LOSS_OUTPUT, TARGET_INPUT, DATA_INPUT } from './loss-head';
