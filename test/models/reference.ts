// Independent JavaScript forward passes for the model tests: explicit loops over PyTorch-layout parameters,
// no graph, no im2col. Tensors are row-major Float64Arrays with their shape passed alongside.

/** Named parameter views of θ (e.g. `p('conv1.weight')`). */
export type Params = (name: string) => Float64Array;

/** Elementwise activations as their textbook formulas. */
export function activate(act: string, z: number): number {
  switch (act) {
    case 'relu':
      return Math.max(z, 0);
    case 'tanh':
      return Math.tanh(z);
    case 'gelu':
      return 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)));
    case 'gelu-erf':
      return 0.5 * z * (1 + erf(z / Math.SQRT2));
    case 'elu':
      return z > 0 ? z : Math.expm1(z);
    case 'softplus':
      return Math.log1p(Math.exp(z));
    case 'identity':
      return z;
    default:
      throw new Error(`unknown activation ${act}`);
  }
}

/** erf by its Maclaurin series (|x| ≤ 3) or the continued-fraction tail, accurate to ~1e-15. */
export function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  if (a < 3) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 200; n++) {
      term *= (-a * a) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return (s * 2 * sum) / Math.sqrt(Math.PI);
  }
  // erfc(a) = exp(−a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + …))))
  let f = a;
  for (let k = 60; k >= 1; k--) f = a + k / 2 / f;
  return s * (1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f);
}

/** y[n, o] = Σ_i W[o, i] h[n, i] + b[o]. */
export function dense(
  h: Float64Array,
  n: number,
  W: Float64Array,
  b: Float64Array | undefined,
  out: number,
): Float64Array {
  const inp = W.length / out;
  const y = new Float64Array(n * out);
  for (let s = 0; s < n; s++)
    for (let o = 0; o < out; o++) {
      let z = b ? b[o] : 0;
      for (let i = 0; i < inp; i++) z += W[o * inp + i] * h[s * inp + i];
      y[s * out + o] = z;
    }
  return y;
}

/** Cross-correlation as nn.Conv2d: x [n, C, H, W], W [O, C, k, k], zero padding p, stride s. */
export function conv2d(
  x: Float64Array,
  [n, C, H, W]: readonly number[],
  weight: Float64Array,
  bias: Float64Array | undefined,
  [O, k, stride, pad]: readonly number[],
): { y: Float64Array; shape: number[] } {
  const Ho = Math.floor((H + 2 * pad - k) / stride) + 1;
  const Wo = Math.floor((W + 2 * pad - k) / stride) + 1;
  const y = new Float64Array(n * O * Ho * Wo);
  for (let s = 0; s < n; s++)
    for (let o = 0; o < O; o++)
      for (let r = 0; r < Ho; r++)
        for (let q = 0; q < Wo; q++) {
          let z = bias ? bias[o] : 0;
          for (let c = 0; c < C; c++)
            for (let i = 0; i < k; i++)
              for (let j = 0; j < k; j++) {
                const hr = r * stride + i - pad;
                const wq = q * stride + j - pad;
                if (hr < 0 || hr >= H || wq < 0 || wq >= W) continue;
                z += weight[((o * C + c) * k + i) * k + j] * x[((s * C + c) * H + hr) * W + wq];
              }
          y[((s * O + o) * Ho + r) * Wo + q] = z;
        }
  return { y, shape: [n, O, Ho, Wo] };
}

/** Training-mode BatchNorm2d: per channel, mean and biased variance over (n, h, w), ε = 1e-5. */
export function batchNorm(
  x: Float64Array,
  [n, C, H, W]: readonly number[],
  gamma: Float64Array,
  beta: Float64Array,
): Float64Array {
  const y = new Float64Array(x.length);
  const m = n * H * W;
  for (let c = 0; c < C; c++) {
    let mean = 0;
    for (let s = 0; s < n; s++) for (let i = 0; i < H * W; i++) mean += x[(s * C + c) * H * W + i];
    mean /= m;
    let v = 0;
    for (let s = 0; s < n; s++) for (let i = 0; i < H * W; i++) v += (x[(s * C + c) * H * W + i] - mean) ** 2;
    v /= m;
    for (let s = 0; s < n; s++)
      for (let i = 0; i < H * W; i++) {
        const at = (s * C + c) * H * W + i;
        y[at] = ((x[at] - mean) / Math.sqrt(v + 1e-5)) * gamma[c] + beta[c];
      }
  }
  return y;
}

/** 2×2 max or average pooling with stride 2 (floor), as MaxPool2d(2) / AvgPool2d(2). */
export function pool2(
  x: Float64Array,
  [n, C, H, W]: readonly number[],
  kind: 'max' | 'avg',
): { y: Float64Array; shape: number[] } {
  const Ho = Math.floor(H / 2);
  const Wo = Math.floor(W / 2);
  const y = new Float64Array(n * C * Ho * Wo);
  for (let s = 0; s < n * C; s++)
    for (let r = 0; r < Ho; r++)
      for (let q = 0; q < Wo; q++) {
        const v = [0, 1, 2, 3].map((t) => x[(s * H + 2 * r + (t >> 1)) * W + 2 * q + (t & 1)]);
        y[(s * Ho + r) * Wo + q] = kind === 'max' ? Math.max(...v) : (v[0] + v[1] + v[2] + v[3]) / 4;
      }
  return { y, shape: [n, C, Ho, Wo] };
}

/** LayerNorm over the last axis of [rows, D], ε as given. */
export function layerNorm(
  x: Float64Array,
  D: number,
  gamma: Float64Array,
  beta: Float64Array,
  eps: number,
): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < x.length / D; r++) {
    let mean = 0;
    for (let i = 0; i < D; i++) mean += x[r * D + i];
    mean /= D;
    let v = 0;
    for (let i = 0; i < D; i++) v += (x[r * D + i] - mean) ** 2;
    v /= D;
    for (let i = 0; i < D; i++)
      y[r * D + i] = ((x[r * D + i] - mean) / Math.sqrt(v + eps)) * gamma[i] + beta[i];
  }
  return y;
}

/** Multi-head self-attention of one sequence h [T, D] (timm layout: qkv rows [q; k; v], heads contiguous). */
export function attention(
  h: Float64Array,
  T: number,
  D: number,
  heads: number,
  p: Params,
  name: string,
): Float64Array {
  const qkv = dense(h, T, p(`${name}.qkv.weight`), p(`${name}.qkv.bias`), 3 * D);
  const d = D / heads;
  const out = new Float64Array(T * D);
  for (let a = 0; a < heads; a++) {
    for (let t = 0; t < T; t++) {
      const scores = new Float64Array(T);
      for (let u = 0; u < T; u++) {
        let z = 0;
        for (let i = 0; i < d; i++) z += qkv[t * 3 * D + a * d + i] * qkv[u * 3 * D + D + a * d + i];
        scores[u] = z / Math.sqrt(d);
      }
      const mx = Math.max(...scores);
      let sum = 0;
      for (let u = 0; u < T; u++) sum += scores[u] = Math.exp(scores[u] - mx);
      for (let i = 0; i < d; i++) {
        let z = 0;
        for (let u = 0; u < T; u++) z += (scores[u] / sum) * qkv[u * 3 * D + 2 * D + a * d + i];
        out[t * D + a * d + i] = z;
      }
    }
  }
  return dense(out, T, p(`${name}.proj.weight`), p(`${name}.proj.bias`), D);
}

export function mapInPlace(x: Float64Array, f: (v: number) => number): Float64Array {
  for (let i = 0; i < x.length; i++) x[i] = f(x[i]);
  return x;
}

export function add(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v + b[i]);
}
