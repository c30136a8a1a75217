import {
  minL1Interpolator,
  minSharpnessInterpolator,
  onePointFlowLimit,
  onePointFlowSharpness,
  onePointMinL1Interpolator,
  onePointMinSharpnessInterpolator,
  onePointStabilityEdge,
} from '@biaslab/theory';

const problem = { x: [1, 0.2], y: 1, alpha: 0.1 };
const limit = onePointFlowLimit(problem);
const flow = onePointFlowSharpness(problem, { epsilon: 1e-8 }); // the flow stopped at loss ε = 1e-8
const l1 = onePointMinL1Interpolator(problem.x, problem.y);
const flat = onePointMinSharpnessInterpolator(problem.x, problem.y);
console.log(`β_GF = (${Array.from(limit.beta, (b) => b.toFixed(5)).join(', ')}), ‖β_GF‖₁ = ${limit.l1.toFixed(5)}`);
console.log(`s_GF = ${flow.sGF.toFixed(4)}, η_c = 2/s_GF = ${flow.etaC.toFixed(4)} (limit: ${onePointFlowSharpness(problem).sGF.toFixed(5)})`);
console.log(`η_max = ${onePointStabilityEdge(problem.x, problem.y)}`);
console.log(`min-ℓ1: β = (${Array.from(l1.beta).join(', ')}), S = ${l1.sharpness}`);
console.log(`min-sharpness: β = (${Array.from(flat.beta).join(', ')}), S = ${flat.sharpness.toFixed(4)}`);

// the same two interpolators from the several-point solvers (HiGHS), n = 1
const lp = await minL1Interpolator([problem.x], [problem.y], { nonnegative: true });
const sharp = await minSharpnessInterpolator([problem.x], [problem.y], 'shared');
console.log(`LP min-ℓ1 ‖β‖₁ = ${lp.l1}, bundle min-sharpness S = ${sharp.sharpness.toFixed(4)}`);
