//! Dense f64 linear algebra for the density detectors' fits (docs/DESIGN.md §11): matrix products
//! on row-major buffers (through `matrixmultiply`'s GEMM, which picks SIMD kernels at run time
//! and is pure Rust, so it also runs in the browser), a Cholesky factorisation and the inverse
//! of a triangular factor. The fits run on the host in f64 so they match scikit-learn closely
//! and give the same numbers on every backend; only scoring runs on the burn device.

/// `C[m × n] ← β·C + Aᵀ·B` for row-major `A` (`rows × m`) and `B` (`rows × n`): the
/// accumulation of a Gram matrix or of responsibility-weighted sums over a batch of rows.
pub(crate) fn add_at_b(
    c: &mut [f64],
    a: &[f64],
    b: &[f64],
    rows: usize,
    m: usize,
    n: usize,
    beta: f64,
) {
    assert!(
        a.len() == rows * m && b.len() == rows * n && c.len() == m * n,
        "shapes"
    );
    if rows == 0 || m == 0 || n == 0 {
        return;
    }
    // SAFETY: the assertion above guarantees that every index the strides reach lies inside the
    // three slices: Aᵀ is read as an m × rows matrix with strides (1, m), B as rows × n with
    // strides (n, 1), and C is written as m × n with strides (n, 1); `c` is borrowed mutably
    // and so cannot alias `a` or `b`.
    unsafe {
        matrixmultiply::dgemm(
            m,
            rows,
            n,
            1.0,
            a.as_ptr(),
            1,
            m as isize,
            b.as_ptr(),
            n as isize,
            1,
            beta,
            c.as_mut_ptr(),
            n as isize,
            1,
        );
    }
}

/// `A·Bᵀ` for row-major `A` (`rows × p`) and `B` (`k × p`): a `rows × k` row-major matrix of
/// dot products (squared distances and log-densities of many rows against a few centres).
pub(crate) fn a_bt(a: &[f64], b: &[f64], rows: usize, p: usize, k: usize) -> Vec<f64> {
    assert!(a.len() == rows * p && b.len() == k * p, "shapes");
    let mut c = vec![0.0; rows * k];
    if rows == 0 || p == 0 || k == 0 {
        return c;
    }
    // SAFETY: as in `add_at_b`: A is rows × p with strides (p, 1), Bᵀ is p × k with strides
    // (1, p), C is rows × k with strides (k, 1), all within the asserted lengths.
    unsafe {
        matrixmultiply::dgemm(
            rows,
            p,
            k,
            1.0,
            a.as_ptr(),
            p as isize,
            1,
            b.as_ptr(),
            1,
            p as isize,
            0.0,
            c.as_mut_ptr(),
            k as isize,
            1,
        );
    }
    c
}

/// The rows as f64.
pub(crate) fn to_f64(rows: &[f32]) -> Vec<f64> {
    rows.iter().map(|&v| f64::from(v)).collect()
}

/// The lower-triangular Cholesky factor `L` (row-major, `p × p`, `L·Lᵀ = a`) of a symmetric
/// matrix, or the index of the first pivot that is not positive (the matrix is not positive
/// definite).
pub(crate) fn cholesky(a: &[f64], p: usize) -> Result<Vec<f64>, usize> {
    let mut l = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..=i {
            let dot: f64 = (0..j).map(|k| l[i * p + k] * l[j * p + k]).sum();
            let value = a[i * p + j] - dot;
            if i == j {
                if !(value > 0.0 && value.is_finite()) {
                    return Err(i);
                }
                l[i * p + i] = value.sqrt();
            } else {
                l[i * p + j] = value / l[j * p + j];
            }
        }
    }
    Ok(l)
}

/// The inverse of a lower-triangular `l` (row-major, `p × p`, non-zero diagonal), itself lower
/// triangular, by forward substitution column by column.
pub(crate) fn invert_lower(l: &[f64], p: usize) -> Vec<f64> {
    let mut inv = vec![0.0; p * p];
    for col in 0..p {
        inv[col * p + col] = 1.0 / l[col * p + col];
        for row in col + 1..p {
            let sum: f64 = (col..row).map(|k| l[row * p + k] * inv[k * p + col]).sum();
            inv[row * p + col] = -sum / l[row * p + row];
        }
    }
    inv
}

/// The transpose of a row-major `p × p` matrix.
pub(crate) fn transpose(a: &[f64], p: usize) -> Vec<f64> {
    let mut t = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..p {
            t[j * p + i] = a[i * p + j];
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_match_hand_computed_matrices() {
        // A = [[1, 2], [3, 4], [5, 6]] (3 × 2), B = [[1, 0, 2], [0, 1, 1], [1, 1, 0]] (3 × 3).
        let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let b = [1.0, 0.0, 2.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0];
        let mut c = vec![1.0; 6];
        add_at_b(&mut c, &a, &b, 3, 2, 3, 1.0);
        // AᵀB = [[6, 8, 5], [8, 10, 8]], plus the ones already in C.
        assert_eq!(c, vec![7.0, 9.0, 6.0, 9.0, 11.0, 9.0]);
        // A·Aᵀ (3 × 3) of the rows of A.
        let g = a_bt(&a, &a, 3, 2, 3);
        assert_eq!(g, vec![5.0, 11.0, 17.0, 11.0, 25.0, 39.0, 17.0, 39.0, 61.0]);
    }

    #[test]
    fn cholesky_and_triangular_inverse_reconstruct_the_matrix() {
        let a = [4.0, 2.0, 0.4, 2.0, 5.0, 1.0, 0.4, 1.0, 3.0];
        let l = cholesky(&a, 3).expect("positive definite");
        let lt = transpose(&l, 3);
        let mut back = vec![0.0; 9];
        add_at_b(&mut back, &lt, &lt, 3, 3, 3, 0.0);
        for (x, y) in back.iter().zip(a) {
            assert!((x - y).abs() < 1e-12, "{back:?}");
        }
        let inv = invert_lower(&l, 3);
        let identity = a_bt(&l, &transpose(&inv, 3), 3, 3, 3);
        for i in 0..3 {
            for j in 0..3 {
                let expected = if i == j { 1.0 } else { 0.0 };
                assert!((identity[i * 3 + j] - expected).abs() < 1e-12);
            }
        }
        assert_eq!(cholesky(&[1.0, 2.0, 2.0, 1.0], 2), Err(1));
    }
}
