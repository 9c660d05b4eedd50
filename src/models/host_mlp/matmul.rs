//! The host trainer's matrix products: `gemm` on row-major buffers, transposes as strides.

/// A matrix operand of [`matmul`]: a row-major matrix, or the transpose of one, as strides.
#[derive(Clone, Copy)]
pub(super) struct Operand<'a> {
    data: &'a [f32],
    row_stride: usize,
    col_stride: usize,
}

impl<'a> Operand<'a> {
    /// The row-major matrix `data` with `cols` columns.
    pub(super) fn rows(data: &'a [f32], cols: usize) -> Self {
        Self {
            data,
            row_stride: cols,
            col_stride: 1,
        }
    }

    /// The transpose of the row-major matrix `data` with `cols` columns.
    pub(super) fn transposed(data: &'a [f32], cols: usize) -> Self {
        Self {
            data,
            row_stride: 1,
            col_stride: cols,
        }
    }

    /// Checks that a `rows × cols` view starting at row `first` stays inside `data`, and
    /// returns a pointer to that row.
    fn view(&self, first: usize, rows: usize, cols: usize) -> *const f32 {
        let last = (first + rows - 1) * self.row_stride + (cols - 1) * self.col_stride;
        assert!(last < self.data.len(), "matrix operand out of bounds");
        self.data[first * self.row_stride..].as_ptr()
    }
}

/// Products with fewer multiply-adds than this are not split.
const SPLIT_WORK: usize = 1 << 21;

/// `dst[m×n] (+)= lhs[m×k] · rhs[k×n]`, `dst` row-major; `accumulate` adds to what `dst` holds.
/// Large products are computed as two halves of rows, on two threads natively when there are
/// two. They are split the same way on one thread, so the numbers never depend on the number
/// of threads (docs/DESIGN.md §13.8).
pub(super) fn matmul(
    [m, n, k]: [usize; 3],
    dst: &mut [f32],
    lhs: Operand,
    rhs: Operand,
    accumulate: bool,
) {
    if m * n * k >= SPLIT_WORK && m >= 16 {
        let half = m / 2;
        let (top, bottom) = dst.split_at_mut(half * n);
        both(
            || matmul_rows(0, half, [n, k], top, lhs, rhs, accumulate),
            || matmul_rows(half, m - half, [n, k], bottom, lhs, rhs, accumulate),
        );
    } else {
        matmul_rows(0, m, [n, k], dst, lhs, rhs, accumulate);
    }
}

/// Rows `first..first + m` of the product into `dst` (`m × n`).
fn matmul_rows(
    first: usize,
    m: usize,
    [n, k]: [usize; 2],
    dst: &mut [f32],
    lhs: Operand,
    rhs: Operand,
    accumulate: bool,
) {
    assert!(
        m > 0 && n > 0 && k > 0 && dst.len() >= m * n,
        "matmul sizes"
    );
    let lhs_ptr = lhs.view(first, m, k);
    let rhs_ptr = rhs.view(0, k, n);
    // SAFETY: `view` checked that both operands' strided views lie inside their slices, and the
    // assertion above that `dst` holds m×n values; gemm reads and writes only inside those.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            1,
            n as isize,
            accumulate,
            lhs_ptr,
            lhs.col_stride as isize,
            lhs.row_stride as isize,
            rhs_ptr,
            rhs.col_stride as isize,
            rhs.row_stride as isize,
            1.0f32,
            1.0f32,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

/// `dst[m×n] = lhs[m×k] · rhs[k×n]` on the calling thread.
pub(super) fn matmul_serial([m, n, k]: [usize; 3], dst: &mut [f32], lhs: Operand, rhs: Operand) {
    matmul_rows(0, m, [n, k], dst, lhs, rhs, false);
}

/// Runs `a` and `b`, natively on two threads when there are two.
pub(super) fn both(a: impl FnOnce() + Send, b: impl FnOnce() + Send) {
    #[cfg(not(target_arch = "wasm32"))]
    if rayon::current_num_threads() > 1 {
        rayon::join(a, b);
        return;
    }
    a();
    b();
}
