/**
 * The standard normal distribution function Φ(x) = ½ erfc(−x/√2), accurate to about 1e-15 absolute.
 * erf by its everywhere-positive series erf(y) = (2/√π) e^{−y²} Σ_k 2^k y^{2k+1} / (1·3·…·(2k+1)) for |y| < 3
 * (no cancellation), and erfc by its continued fraction (evaluated with the modified Lentz method) beyond.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = x / Math.SQRT2;
  if (Math.abs(y) < 3) return 0.5 * (1 + erfSeries(y));
  // Φ(x) = ½ erfc(−y): for y ≥ 3 it is 1 − ½ erfc(y), for y ≤ −3 it is ½ erfc(|y|).
  const tail = 0.5 * erfcContinuedFraction(Math.abs(y));
  return y > 0 ? 1 - tail : tail;
}

function erfSeries(y: number): number {
  const y2 = y * y;
  let term = y;
  let sum = y;
  for (let k = 1; k < 200; k++) {
    term *= (2 * y2) / (2 * k + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-y2) * sum;
}

/** erfc(y) for y > 0 = e^{−y²}/√π · 1/(y + (1/2)/(y + 1/(y + (3/2)/(y + 2/(y + …))))). */
function erfcContinuedFraction(y: number): number {
  const tiny = 1e-300;
  // f = b₀ + a₁/(b₁ + a₂/(b₂ + …)) with b_j = y, a_j = j/2.
  let f = y;
  let c = y;
  let d = 0;
  for (let j = 1; j < 500; j++) {
    const a = j / 2;
    d = y + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = y + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-y * y) / (Math.sqrt(Math.PI) * f);
}
