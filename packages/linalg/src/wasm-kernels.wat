;; The level-3 loops of @biaslab/linalg in WebAssembly with 128-bit SIMD: two float64 lanes per instruction,
;; which plain JavaScript cannot express. Each lane computes exactly what the scalar loop would (the same
;; products and sums in the same order, no fused multiply-add), so results do not depend on the lanes.
;; Assembled into wasm-kernels.ts by `node --import tsx packages/linalg/scripts/assemble-wasm-kernels.ts`;
;; wasm-kernels.test.ts checks the two agree. Offsets are in bytes, counts in doubles.
;;
;; block(mp, np, kc, a, b, c, ldc): for every 3-row micro-panel i < mp of the packed A at byte offset `a`
;; (kc steps of 3 doubles) and every 4-column micro-panel j < np of the packed B at `b` (kc steps of 4
;; doubles), C[3i…3i+2, 4j…4j+3] = Σ_p A_p ⊗ B_p into the row-major block at `c` (row stride `ldc` doubles).

(module
  (memory (export "memory") 1)
  (func (export "block")
    (param $mp i32) (param $np i32) (param $kc i32) (param $a i32) (param $b i32) (param $c i32) (param $ldc i32)
    (local $i i32) (local $j i32) (local $p i32) (local $pa i32) (local $pb i32) (local $pc i32)
    ;; the 3 × 4 sums as 3 rows × 2 lanes pairs
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128) (local $s20 v128) (local $s21 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local.set $j (i32.const 0))
    (block $columnsDone
      (loop $columns
        (br_if $columnsDone (i32.ge_u (local.get $j) (local.get $np)))
        (local.set $i (i32.const 0))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $mp)))
            ;; pa = a + i·kc·3·8, pb = b + j·kc·4·8
            (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (i32.mul (local.get $kc) (i32.const 24)))))
            (local.set $pb (i32.add (local.get $b) (i32.mul (local.get $j) (i32.mul (local.get $kc) (i32.const 32)))))
            (local.set $s00 (v128.const f64x2 0 0))
            (local.set $s01 (v128.const f64x2 0 0))
            (local.set $s10 (v128.const f64x2 0 0))
            (local.set $s11 (v128.const f64x2 0 0))
            (local.set $s20 (v128.const f64x2 0 0))
            (local.set $s21 (v128.const f64x2 0 0))
            (local.set $p (local.get $kc))
            (block $depthDone
              (loop $depth
                (br_if $depthDone (i32.eqz (local.get $p)))
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $b1 (v128.load offset=16 (local.get $pb)))
                (local.set $x (f64x2.splat (f64.load (local.get $pa))))
                (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $x (f64x2.splat (f64.load offset=8 (local.get $pa))))
                (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $x (f64x2.splat (f64.load offset=16 (local.get $pa))))
                (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 24)))
                (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br $depth)))
            ;; pc = c + (3i·ldc + 4j)·8, then one row of C per ldc·8 bytes
            (local.set $pc
              (i32.add (local.get $c)
                (i32.shl
                  (i32.add (i32.mul (i32.mul (local.get $i) (i32.const 3)) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2)))
                  (i32.const 3))))
            (v128.store (local.get $pc) (local.get $s00))
            (v128.store offset=16 (local.get $pc) (local.get $s01))
            (local.set $pc (i32.add (local.get $pc) (i32.shl (local.get $ldc) (i32.const 3))))
            (v128.store (local.get $pc) (local.get $s10))
            (v128.store offset=16 (local.get $pc) (local.get $s11))
            (local.set $pc (i32.add (local.get $pc) (i32.shl (local.get $ldc) (i32.const 3))))
            (v128.store (local.get $pc) (local.get $s20))
            (v128.store offset=16 (local.get $pc) (local.get $s21))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $columns))))

  ;; rank2k(a, n, from, vw, count): the trailing-matrix update of the blocked Householder reduction
  ;; (householder-tridiagonal.ts), A[r, c] −= Σ_p v_p[r]·w_p[c] + w_p[r]·v_p[c] for from ≤ r ≤ c < n on the
  ;; row-major n × n A at `a`, with the rows v_0 … v_{count−1}, w_0 … w_{count−1} (length n) at `vw`. Four
  ;; pairs per sweep over a row, each entry updated as
  ;; a −= ((((((v₀w₀ + w₀v₀) + v₁w₁) + w₁v₁) + v₂w₂) + w₂v₂) + v₃w₃) + w₃v₃; count is a multiple of 4.
  (func (export "rank2k") (param $a i32) (param $n i32) (param $from i32) (param $vw i32) (param $count i32)
    (local $r i32) (local $p i32) (local $row i32) (local $end i32) (local $at i32) (local $col i32)
    (local $v0 i32) (local $v1 i32) (local $v2 i32) (local $v3 i32)
    (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 3)))
    (local.set $r (local.get $from))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $n)))
        ;; row = a + r·n·8, end = row + n·8 (one past the row)
        (local.set $row (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $end (i32.add (local.get $row) (local.get $rowBytes)))
        (local.set $p (i32.const 0))
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone (i32.ge_u (local.get $p) (local.get $count)))
            ;; v_{p+i} at vw + (p+i)·n·8, w_{p+i} at vw + (count+p+i)·n·8
            (local.set $v0 (i32.add (local.get $vw) (i32.mul (local.get $p) (local.get $rowBytes))))
            (local.set $v1 (i32.add (local.get $v0) (local.get $rowBytes)))
            (local.set $v2 (i32.add (local.get $v1) (local.get $rowBytes)))
            (local.set $v3 (i32.add (local.get $v2) (local.get $rowBytes)))
            (local.set $w0 (i32.add (local.get $v0) (i32.mul (local.get $count) (local.get $rowBytes))))
            (local.set $w1 (i32.add (local.get $w0) (local.get $rowBytes)))
            (local.set $w2 (i32.add (local.get $w1) (local.get $rowBytes)))
            (local.set $w3 (i32.add (local.get $w2) (local.get $rowBytes)))
            ;; x_i = v_{p+i}[r], y_i = w_{p+i}[r], in both lanes
            (local.set $col (i32.shl (local.get $r) (i32.const 3)))
            (local.set $x0 (f64x2.splat (f64.load (i32.add (local.get $v0) (local.get $col)))))
            (local.set $x1 (f64x2.splat (f64.load (i32.add (local.get $v1) (local.get $col)))))
            (local.set $x2 (f64x2.splat (f64.load (i32.add (local.get $v2) (local.get $col)))))
            (local.set $x3 (f64x2.splat (f64.load (i32.add (local.get $v3) (local.get $col)))))
            (local.set $y0 (f64x2.splat (f64.load (i32.add (local.get $w0) (local.get $col)))))
            (local.set $y1 (f64x2.splat (f64.load (i32.add (local.get $w1) (local.get $col)))))
            (local.set $y2 (f64x2.splat (f64.load (i32.add (local.get $w2) (local.get $col)))))
            (local.set $y3 (f64x2.splat (f64.load (i32.add (local.get $w3) (local.get $col)))))
            ;; columns c = r, r+1, … two at a time: $at = row + c·8, $col = c·8
            (local.set $at (i32.add (local.get $row) (local.get $col)))
            (block $columnsDone
              (loop $columns
                (br_if $columnsDone (i32.gt_u (i32.add (local.get $at) (i32.const 16)) (local.get $end)))
                (v128.store (local.get $at)
                  (f64x2.sub (v128.load (local.get $at))
                    (f64x2.add
                      (f64x2.add
                        (f64x2.add
                          (f64x2.add
                            (f64x2.add
                              (f64x2.add
                                (f64x2.add
                                  (f64x2.mul (local.get $x0) (v128.load (i32.add (local.get $w0) (local.get $col))))
                                  (f64x2.mul (local.get $y0) (v128.load (i32.add (local.get $v0) (local.get $col)))))
                                (f64x2.mul (local.get $x1) (v128.load (i32.add (local.get $w1) (local.get $col)))))
                              (f64x2.mul (local.get $y1) (v128.load (i32.add (local.get $v1) (local.get $col)))))
                            (f64x2.mul (local.get $x2) (v128.load (i32.add (local.get $w2) (local.get $col)))))
                          (f64x2.mul (local.get $y2) (v128.load (i32.add (local.get $v2) (local.get $col)))))
                        (f64x2.mul (local.get $x3) (v128.load (i32.add (local.get $w3) (local.get $col)))))
                      (f64x2.mul (local.get $y3) (v128.load (i32.add (local.get $v3) (local.get $col)))))))
                (local.set $at (i32.add (local.get $at) (i32.const 16)))
                (local.set $col (i32.add (local.get $col) (i32.const 16)))
                (br $columns)))
            ;; the last column when an odd number remain: the same sum in one lane
            (if (i32.lt_u (local.get $at) (local.get $end))
              (then
                (f64.store (local.get $at)
                  (f64.sub (f64.load (local.get $at))
                    (f64.add
                      (f64.add
                        (f64.add
                          (f64.add
                            (f64.add
                              (f64.add
                                (f64.add
                                  (f64.mul (f64x2.extract_lane 0 (local.get $x0)) (f64.load (i32.add (local.get $w0) (local.get $col))))
                                  (f64.mul (f64x2.extract_lane 0 (local.get $y0)) (f64.load (i32.add (local.get $v0) (local.get $col)))))
                                (f64.mul (f64x2.extract_lane 0 (local.get $x1)) (f64.load (i32.add (local.get $w1) (local.get $col)))))
                              (f64.mul (f64x2.extract_lane 0 (local.get $y1)) (f64.load (i32.add (local.get $v1) (local.get $col)))))
                            (f64.mul (f64x2.extract_lane 0 (local.get $x2)) (f64.load (i32.add (local.get $w2) (local.get $col)))))
                          (f64.mul (f64x2.extract_lane 0 (local.get $y2)) (f64.load (i32.add (local.get $v2) (local.get $col)))))
                        (f64.mul (f64x2.extract_lane 0 (local.get $x3)) (f64.load (i32.add (local.get $w3) (local.get $col)))))
                      (f64.mul (f64x2.extract_lane 0 (local.get $y3)) (f64.load (i32.add (local.get $v3) (local.get $col)))))))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $pairs)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; symv(a, n, from, v, y): y[from:] = A[from:, from:]·v[from:] for the symmetric A whose upper triangle is in
  ;; the row-major n × n at `a`, reading that triangle once (householder-tridiagonal.ts). Four rows i…i+3 at a
  ;; time: their 4 × 4 diagonal block gives s_0 … s_3, then for each j > i+3 (two per step) the entries
  ;; x_q = A[i+q, j] add x_q·v_j to s_q (one lane after the other, j in order) and
  ;; ((x₀v_i + x₁v_{i+1}) + x₂v_{i+2}) + x₃v_{i+3} to y_j; last, y_{i+q} += s_q. Rows left over (fewer than
  ;; four) go one at a time the same way.
  (func (export "symv") (param $a i32) (param $n i32) (param $from i32) (param $v i32) (param $y i32)
    (local $i i32) (local $rowBytes i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $col i32) (local $endCol i32) (local $at i32)
    (local $v0 f64) (local $v1 f64) (local $v2 f64) (local $v3 f64)
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64)
    (local $a01 f64) (local $a02 f64) (local $a03 f64) (local $a12 f64) (local $a13 f64) (local $a23 f64)
    (local $x0 f64) (local $x1 f64) (local $x2 f64) (local $x3 f64) (local $vj f64)
    (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $p3 v128)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $vv v128)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 3)))
    (local.set $endCol (local.get $rowBytes))
    ;; y[from:] = 0
    (local.set $col (i32.shl (local.get $from) (i32.const 3)))
    (block $zeroDone
      (loop $zero
        (br_if $zeroDone (i32.ge_u (local.get $col) (local.get $endCol)))
        (f64.store (i32.add (local.get $y) (local.get $col)) (f64.const 0))
        (local.set $col (i32.add (local.get $col) (i32.const 8)))
        (br $zero)))
    (local.set $i (local.get $from))
    (block $quadsDone
      (loop $quads
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
        (local.set $r0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $r1 (i32.add (local.get $r0) (local.get $rowBytes)))
        (local.set $r2 (i32.add (local.get $r1) (local.get $rowBytes)))
        (local.set $r3 (i32.add (local.get $r2) (local.get $rowBytes)))
        ;; $col = i·8: byte offset of column i within a row and of entry i within v and y
        (local.set $col (i32.shl (local.get $i) (i32.const 3)))
        (local.set $v0 (f64.load (i32.add (local.get $v) (local.get $col))))
        (local.set $v1 (f64.load offset=8 (i32.add (local.get $v) (local.get $col))))
        (local.set $v2 (f64.load offset=16 (i32.add (local.get $v) (local.get $col))))
        (local.set $v3 (f64.load offset=24 (i32.add (local.get $v) (local.get $col))))
        (local.set $a01 (f64.load offset=8 (i32.add (local.get $r0) (local.get $col))))
        (local.set $a02 (f64.load offset=16 (i32.add (local.get $r0) (local.get $col))))
        (local.set $a03 (f64.load offset=24 (i32.add (local.get $r0) (local.get $col))))
        (local.set $a12 (f64.load offset=16 (i32.add (local.get $r1) (local.get $col))))
        (local.set $a13 (f64.load offset=24 (i32.add (local.get $r1) (local.get $col))))
        (local.set $a23 (f64.load offset=24 (i32.add (local.get $r2) (local.get $col))))
        (local.set $s0
          (f64.add (f64.add (f64.add
            (f64.mul (f64.load (i32.add (local.get $r0) (local.get $col))) (local.get $v0))
            (f64.mul (local.get $a01) (local.get $v1)))
            (f64.mul (local.get $a02) (local.get $v2)))
            (f64.mul (local.get $a03) (local.get $v3))))
        (local.set $s1
          (f64.add (f64.add (f64.add
            (f64.mul (local.get $a01) (local.get $v0))
            (f64.mul (f64.load offset=8 (i32.add (local.get $r1) (local.get $col))) (local.get $v1)))
            (f64.mul (local.get $a12) (local.get $v2)))
            (f64.mul (local.get $a13) (local.get $v3))))
        (local.set $s2
          (f64.add (f64.add (f64.add
            (f64.mul (local.get $a02) (local.get $v0))
            (f64.mul (local.get $a12) (local.get $v1)))
            (f64.mul (f64.load offset=16 (i32.add (local.get $r2) (local.get $col))) (local.get $v2)))
            (f64.mul (local.get $a23) (local.get $v3))))
        (local.set $s3
          (f64.add (f64.add (f64.add
            (f64.mul (local.get $a03) (local.get $v0))
            (f64.mul (local.get $a13) (local.get $v1)))
            (f64.mul (local.get $a23) (local.get $v2)))
            (f64.mul (f64.load offset=24 (i32.add (local.get $r3) (local.get $col))) (local.get $v3))))
        (local.set $w0 (f64x2.splat (local.get $v0)))
        (local.set $w1 (f64x2.splat (local.get $v1)))
        (local.set $w2 (f64x2.splat (local.get $v2)))
        (local.set $w3 (f64x2.splat (local.get $v3)))
        ;; j = i + 4, two at a time
        (local.set $at (i32.add (local.get $col) (i32.const 32)))
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone (i32.gt_u (i32.add (local.get $at) (i32.const 16)) (local.get $endCol)))
            (local.set $vv (v128.load (i32.add (local.get $v) (local.get $at))))
            (local.set $p0 (v128.load (i32.add (local.get $r0) (local.get $at))))
            (local.set $p1 (v128.load (i32.add (local.get $r1) (local.get $at))))
            (local.set $p2 (v128.load (i32.add (local.get $r2) (local.get $at))))
            (local.set $p3 (v128.load (i32.add (local.get $r3) (local.get $at))))
            (v128.store (i32.add (local.get $y) (local.get $at))
              (f64x2.add (v128.load (i32.add (local.get $y) (local.get $at)))
                (f64x2.add (f64x2.add (f64x2.add
                  (f64x2.mul (local.get $p0) (local.get $w0))
                  (f64x2.mul (local.get $p1) (local.get $w1)))
                  (f64x2.mul (local.get $p2) (local.get $w2)))
                  (f64x2.mul (local.get $p3) (local.get $w3)))))
            ;; s_q += x_q[j]·v[j], then += x_q[j+1]·v[j+1]
            (local.set $p0 (f64x2.mul (local.get $p0) (local.get $vv)))
            (local.set $p1 (f64x2.mul (local.get $p1) (local.get $vv)))
            (local.set $p2 (f64x2.mul (local.get $p2) (local.get $vv)))
            (local.set $p3 (f64x2.mul (local.get $p3) (local.get $vv)))
            (local.set $s0 (f64.add (f64.add (local.get $s0) (f64x2.extract_lane 0 (local.get $p0))) (f64x2.extract_lane 1 (local.get $p0))))
            (local.set $s1 (f64.add (f64.add (local.get $s1) (f64x2.extract_lane 0 (local.get $p1))) (f64x2.extract_lane 1 (local.get $p1))))
            (local.set $s2 (f64.add (f64.add (local.get $s2) (f64x2.extract_lane 0 (local.get $p2))) (f64x2.extract_lane 1 (local.get $p2))))
            (local.set $s3 (f64.add (f64.add (local.get $s3) (f64x2.extract_lane 0 (local.get $p3))) (f64x2.extract_lane 1 (local.get $p3))))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (br $pairs)))
        ;; an odd last column
        (if (i32.lt_u (local.get $at) (local.get $endCol))
          (then
            (local.set $vj (f64.load (i32.add (local.get $v) (local.get $at))))
            (local.set $x0 (f64.load (i32.add (local.get $r0) (local.get $at))))
            (local.set $x1 (f64.load (i32.add (local.get $r1) (local.get $at))))
            (local.set $x2 (f64.load (i32.add (local.get $r2) (local.get $at))))
            (local.set $x3 (f64.load (i32.add (local.get $r3) (local.get $at))))
            (local.set $s0 (f64.add (local.get $s0) (f64.mul (local.get $x0) (local.get $vj))))
            (local.set $s1 (f64.add (local.get $s1) (f64.mul (local.get $x1) (local.get $vj))))
            (local.set $s2 (f64.add (local.get $s2) (f64.mul (local.get $x2) (local.get $vj))))
            (local.set $s3 (f64.add (local.get $s3) (f64.mul (local.get $x3) (local.get $vj))))
            (f64.store (i32.add (local.get $y) (local.get $at))
              (f64.add (f64.load (i32.add (local.get $y) (local.get $at)))
                (f64.add (f64.add (f64.add
                  (f64.mul (local.get $x0) (local.get $v0))
                  (f64.mul (local.get $x1) (local.get $v1)))
                  (f64.mul (local.get $x2) (local.get $v2)))
                  (f64.mul (local.get $x3) (local.get $v3)))))))
        (local.set $at (i32.add (local.get $y) (local.get $col)))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $s0)))
        (f64.store offset=8 (local.get $at) (f64.add (f64.load offset=8 (local.get $at)) (local.get $s1)))
        (f64.store offset=16 (local.get $at) (f64.add (f64.load offset=16 (local.get $at)) (local.get $s2)))
        (f64.store offset=24 (local.get $at) (f64.add (f64.load offset=24 (local.get $at)) (local.get $s3)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $quads)))
    ;; the remaining rows, one at a time: s = a_ii·v_i + Σ_{j>i} a_ij·v_j; y_j += a_ij·v_i
    (block $singlesDone
      (loop $singles
        (br_if $singlesDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $r0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $col (i32.shl (local.get $i) (i32.const 3)))
        (local.set $v0 (f64.load (i32.add (local.get $v) (local.get $col))))
        (local.set $s0 (f64.mul (f64.load (i32.add (local.get $r0) (local.get $col))) (local.get $v0)))
        (local.set $at (i32.add (local.get $col) (i32.const 8)))
        (block $restDone
          (loop $rest
            (br_if $restDone (i32.ge_u (local.get $at) (local.get $endCol)))
            (local.set $x0 (f64.load (i32.add (local.get $r0) (local.get $at))))
            (local.set $s0 (f64.add (local.get $s0) (f64.mul (local.get $x0) (f64.load (i32.add (local.get $v) (local.get $at))))))
            (f64.store (i32.add (local.get $y) (local.get $at))
              (f64.add (f64.load (i32.add (local.get $y) (local.get $at))) (f64.mul (local.get $x0) (local.get $v0))))
            (local.set $at (i32.add (local.get $at) (i32.const 8)))
            (br $rest)))
        (local.set $at (i32.add (local.get $y) (local.get $col)))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $s0)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $singles)))))
