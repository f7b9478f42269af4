// The GEMM micro-kernel's loop in C with AVX-512 intrinsics: an MR×32 tile of C in zmm registers,
// per k step two B vectors, MR broadcasts of A and 2·MR FMAs; the same shape as Neurona's
// VectorMicroKernel (MR = 8), run on one sliver pair in L1 as MicroKernelBenchmark's inL1 mode.
// It tells how far C2's code for the tile is from what gcc makes of the same loop.
//   gcc -O3 -march=native -DMR=8 microkernel.c -o microkernel && ./microkernel
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifndef MR
#define MR 8
#endif

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

__attribute__((noinline)) static void tile(int kc, const float *ap, const float *bp, float *acc) {
  __m512 c[MR][2];
  for (int r = 0; r < MR; r++) {
    c[r][0] = _mm512_setzero_ps();
    c[r][1] = _mm512_setzero_ps();
  }
  for (int p = 0; p < kc; p++) {
    __m512 b0 = _mm512_loadu_ps(bp + p * 32), b1 = _mm512_loadu_ps(bp + p * 32 + 16);
    for (int r = 0; r < MR; r++) {
      __m512 a = _mm512_set1_ps(ap[p * MR + r]);
      c[r][0] = _mm512_fmadd_ps(a, b0, c[r][0]);
      c[r][1] = _mm512_fmadd_ps(a, b1, c[r][1]);
    }
  }
  for (int r = 0; r < MR; r++) {
    _mm512_storeu_ps(acc + r * 32, c[r][0]);
    _mm512_storeu_ps(acc + r * 32 + 16, c[r][1]);
  }
}

int main(void) {
  int kc = 256;
  float *ap = aligned_alloc(64, kc * MR * 4), *bp = aligned_alloc(64, kc * 32 * 4), acc[MR * 32];
  for (int i = 0; i < kc * MR; i++) ap[i] = (i % 7) * 0.01f;
  for (int i = 0; i < kc * 32; i++) bp[i] = (i % 5) * 0.01f;
  long reps = 400000;
  for (int t = 0; t < 5; t++) {
    double s = now();
    for (long i = 0; i < reps; i++) {
      tile(kc, ap, bp, acc);
      __asm__ volatile("" ::"r"(acc) : "memory");
    }
    double e = now() - s;
    printf("C %dx32 tile in L1: %.1f GFLOP/s\n", MR, 2.0 * kc * MR * 32 * reps / e * 1e-9);
  }
  return acc[3] > 1e30f;
}
