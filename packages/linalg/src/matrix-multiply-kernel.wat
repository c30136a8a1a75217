;; The macro-kernel of `multiply` (matrix-multiply.ts) in WebAssembly with 128-bit SIMD: two float64 lanes
;; per instruction, which plain JavaScript cannot express. Assembled into matrix-multiply-kernel.ts by
;; `node packages/linalg/scripts/assemble-kernel.mjs`; matrix-multiply-kernel.test.ts checks the two agree.
;;
;; block(mp, np, kc, a, b, c, ldc): for every 3-row micro-panel i < mp of the packed A at byte offset `a`
;; (kc steps of 3 doubles) and every 4-column micro-panel j < np of the packed B at `b` (kc steps of 4
;; doubles), C[3i…3i+2, 4j…4j+3] = Σ_p A_p ⊗ B_p into the row-major block at `c` (row stride `ldc` doubles).
;; Each sum runs over p in order with a separate multiply and add, exactly as the scalar loop would.
(module
  (memory (export "memory") 48)
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
        (br $columns)))))
