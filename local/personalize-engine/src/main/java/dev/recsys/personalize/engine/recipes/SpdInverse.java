package dev.recsys.personalize.engine.recipes;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * In-place inverse of a symmetric positive definite matrix (row-major, n x n) by Gauss-Jordan
 * elimination without pivoting, which is stable for SPD input. Rows are dealt round-robin to
 * {@code threads} workers that meet at one barrier per pivot: n^3 multiply-adds in total.
 */
final class SpdInverse {

    private SpdInverse() {}

    static void invertInPlace(double[] a, int n, int threads) {
        if ((long) n * n != a.length) throw new IllegalArgumentException("matrix must be n x n");
        int t = Math.max(1, Math.min(threads, n));
        if (t == 1) {
            for (int k = 0; k < n; k++) {
                eliminate(a, n, k, 0, 1);
                scalePivotRow(a, n, k);
            }
            return;
        }
        CyclicBarrier barrier = new CyclicBarrier(t);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[t];
        for (int w = 0; w < t; w++) {
            int worker = w;
            workers[w] = new Thread(() -> {
                try {
                    for (int k = 0; k < n; k++) {
                        eliminate(a, n, k, worker, t);
                        barrier.await();
                        // Only the owner touches row k from here on; everyone else reads row k+1 next.
                        if (k % t == worker) scalePivotRow(a, n, k);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure.compareAndSet(null, e);
                    barrier.reset();
                } catch (BrokenBarrierException e) {
                    failure.compareAndSet(null, e);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                    barrier.reset();
                }
            }, "ease-inverse-" + w);
            workers[w].start();
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while inverting", e);
            }
        }
        Throwable f = failure.get();
        if (f instanceof ArithmeticException ae) throw ae;
        if (f != null) throw new IllegalStateException("matrix inversion failed", f);
    }

    /** Applies pivot k (still unscaled) to the rows this worker owns. */
    private static void eliminate(double[] a, int n, int k, int worker, int workers) {
        int pivotRow = k * n;
        double pivot = a[pivotRow + k];
        if (!(pivot > 0)) throw new ArithmeticException("matrix is not positive definite at pivot " + k);
        for (int i = worker; i < n; i += workers) {
            if (i == k) continue;
            int row = i * n;
            double c = a[row + k] / pivot;
            if (c == 0) continue;
            for (int j = 0; j < n; j++) a[row + j] -= c * a[pivotRow + j];
            a[row + k] = -c;
        }
    }

    private static void scalePivotRow(double[] a, int n, int k) {
        int row = k * n;
        double inv = 1.0 / a[row + k];
        for (int j = 0; j < n; j++) a[row + j] *= inv;
        a[row + k] = inv;
    }
}
