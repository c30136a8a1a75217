/** A symmetric linear operator given by its products, e.g. v ↦ ∇²L(θ)·v. */
export type LinearOperator = (v: Float64Array) => Promise<Float64Array>;
