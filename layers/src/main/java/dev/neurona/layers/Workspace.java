package dev.neurona.layers;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.gemm.Gemm;
import dev.neurona.core.gemm.PackedB;
import java.util.ArrayList;
import java.util.List;

/**
 * The buffers of one inference pass, so that {@link Layer#infer} keeps nothing in the layer: every
 * tensor a layer writes at inference comes from the workspace of the thread running the pass. Two
 * threads predicting with one model each use their own workspace and share only the weights, which
 * they read.
 *
 * <p>A pass asks for its buffers in the same order each time (layer by layer), so they are handed
 * out by position: after {@link #reset()}, the {@code i}-th request gets the {@code i}-th buffer of
 * the previous pass when it has the shape asked for, else a new one. A thread that predicts one
 * batch size again and again allocates nothing after its first pass; every buffer of a pass is
 * distinct from the others of that pass.
 *
 * <p>A call of several passes (a {@code predict} or {@code evaluate} over many batches, under the
 * model's read lock, so its weights do not change) starts with {@link #beginCall}; a layer may then
 * pack its weights for the GEMM once and reuse the packing in every later pass of the call
 * ({@link #packedWeights}). The next call packs them again (into the same storage, kept like the
 * buffers), so it sees any change made between calls.
 *
 * <p>Not thread-safe: one pass at a time. A tensor returned holds whatever the previous pass left
 * in it; the layer overwrites all of it.
 */
public final class Workspace {
  private final List<Tensor> tensors = new ArrayList<>();
  private final List<int[]> ints = new ArrayList<>();
  private final List<Packing> packings = new ArrayList<>();
  private int nextTensor;
  private int nextInts;
  private int nextPacking;
  /** Counts {@link #beginCall}s: a packing made in an earlier call is stale. */
  private long call;
  /** Whether the current call runs more than one pass, so that packing weights once pays. */
  private boolean packWeights;

  /** One packed weight matrix: its source array and the call it was packed in. */
  private static final class Packing {
    PackedB packed;
    float[] source;
    long call;
  }

  /** An empty workspace; buffers are created on first use. */
  public Workspace() {}

  /** Starts a new pass: the buffers of the previous one may be handed out again (their contents are stale). */
  public void reset() {
    nextTensor = 0;
    nextInts = 0;
    nextPacking = 0;
  }

  /**
   * Starts a call that runs {@code passes} passes (and its first pass: {@link #reset()}). Weights
   * packed by {@link #packedWeights} in earlier calls are packed again when asked for, so the
   * caller must keep the weights unchanged from here to the end of the call (the model's read lock).
   *
   * @param passes how many passes (batches) the call will run; packing pays only from two on
   */
  public void beginCall(int passes) {
    reset();
    call++;
    packWeights = passes > 1;
  }

  /**
   * The weight matrix {@code b} ({@code k×n}, row-major) packed for {@link Gemm#sgemm(boolean, int, float,
   * float[], int, int, PackedB, float, float[], int, int) Gemm.sgemm}, packed on the first request of
   * the call and handed out again to the same request of its later passes (by position, as
   * {@link #tensor}); or null when packing would not pay: outside a call of two or more passes. A
   * product against the packing gives the bits of the unpacked one (for n > 2 and k·n > 4096).
   *
   * @param b the weights, k×n row-major; must not change during the call
   * @param k rows of {@code b}
   * @param n columns of {@code b}
   * @return the packing, valid until the next {@link #beginCall}; or null: multiply by {@code b} itself
   */
  public PackedB packedWeights(float[] b, int k, int n) {
    if (!packWeights) {
      return null;
    }
    int i = nextPacking++;
    if (i == packings.size()) {
      packings.add(new Packing());
    }
    Packing p = packings.get(i);
    if (p.call != call || p.source != b || p.packed.k() != k || p.packed.n() != n) {
      p.packed = Gemm.packB(Gemm.kernel(), false, k, n, b, 0, n, p.packed);
      p.source = b;
      p.call = call;
    }
    return p.packed;
  }

  /**
   * The next float buffer of this pass.
   *
   * @param shape the shape wanted, batch dimension included
   * @return a tensor of that shape, not handed out before in this pass; its contents are undefined
   */
  public Tensor tensor(Shape shape) {
    int i = nextTensor++;
    if (i == tensors.size()) {
      tensors.add(null);
    }
    Tensor t = tensors.get(i);
    if (t == null || !t.shape().equals(shape)) {
      t = Tensor.zeros(shape);
      tensors.set(i, t);
    }
    return t;
  }

  /**
   * The next int buffer of this pass (e.g. max pooling's winners, which inference does not keep).
   *
   * @param length the length wanted
   * @return an array of that length, not handed out before in this pass; its contents are undefined
   */
  public int[] ints(int length) {
    int i = nextInts++;
    if (i == ints.size()) {
      ints.add(null);
    }
    int[] a = ints.get(i);
    if (a == null || a.length != length) {
      a = new int[length];
      ints.set(i, a);
    }
    return a;
  }
}
