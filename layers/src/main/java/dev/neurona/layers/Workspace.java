package dev.neurona.layers;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
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
 * <p>Not thread-safe: one pass at a time. A tensor returned holds whatever the previous pass left
 * in it; the layer overwrites all of it.
 */
public final class Workspace {
  private final List<Tensor> tensors = new ArrayList<>();
  private final List<int[]> ints = new ArrayList<>();
  private int nextTensor;
  private int nextInts;

  /** An empty workspace; buffers are created on first use. */
  public Workspace() {}

  /** Starts a new pass: the buffers of the previous one may be handed out again (their contents are stale). */
  public void reset() {
    nextTensor = 0;
    nextInts = 0;
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
