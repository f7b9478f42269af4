package dev.neurona.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of one round as Spark's {@code treeAggregate} builds it: each partition adds its
 * contribution as a leaf, and partial results merge in whatever order Spark's tasks finish, yet
 * the sums come out the same bits every time. They are added along one fixed binary tree over the
 * partition indices: a node covering partitions {@code [i·2^l, (i+1)·2^l)} is always its left
 * child plus its right child, and a node is formed as soon as both children are present, whichever
 * task brought them. (Float addition is not associative: summing in arrival order would make the
 * weights depend on the cluster's timing.)
 *
 * <p>A contribution is a set of float vectors with a weight (the samples it covers): mean gradients
 * or weights after local steps. The result is their weighted mean; a single contribution is returned
 * as it was, bit for bit, which is what makes one partition train exactly as {@code fit}.
 */
final class Partial implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One node of the tree: the weighted sum of the contributions below it, and the training logs. */
  static final class Node implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The vectors: a lone contribution's own values ({@code scaled} false), else the weighted sum. */
    float[][] vectors;
    boolean scaled;
    /** Samples covered (the weight). */
    double weight;
    int contributors;
    double lossSum;
    double[] metricSums;
    long samples;
    int steps;
    /** Names and shapes of the optimizer-state vectors that follow the weights (parameter averaging). */
    String[] stateKeys;
    int[][] stateShapes;
    /** The first non-finite loss or update met (lowest partition), or null. */
    String failure;
    int failedPartition = -1;
    int failedStep = -1;
    float failedLoss = Float.NaN;

    Node(int metrics) {
      this.metricSums = new double[metrics];
    }
  }

  private final int partitions;
  private final int rootLevel;
  private final int metrics;
  /** Complete nodes not yet joined with their sibling, by {@code level << 32 | index}. */
  private final TreeMap<Long, Node> nodes = new TreeMap<>();

  Partial(int partitions, int metrics) {
    this.partitions = partitions;
    this.metrics = metrics;
    int l = 0;
    while ((1L << l) < partitions) {
      l++;
    }
    this.rootLevel = l;
  }

  /** Adds partition {@code p}'s contribution (a leaf); returns this. */
  Partial add(int p, Node leaf) {
    if (p < 0 || p >= partitions) {
      throw new IllegalStateException("Partial: partition " + p + " is outside 0.." + (partitions - 1));
    }
    insert(0, p, leaf);
    return this;
  }

  /** Merges another task's partial result into this one; returns this. */
  Partial merge(Partial other) {
    for (Map.Entry<Long, Node> e : other.nodes.entrySet()) {
      insert((int) (e.getKey() >>> 32), e.getKey() & 0xFFFFFFFFL, e.getValue());
    }
    return this;
  }

  private void insert(int level, long index, Node n) {
    while (level < rootLevel) {
      long sibling = index ^ 1;
      Node s;
      if ((sibling << level) >= partitions) {
        s = new Node(metrics); // covers no partition: nothing to add
      } else {
        s = nodes.remove(key(level, sibling));
        if (s == null) {
          if (nodes.put(key(level, index), n) != null) {
            throw new IllegalStateException("Partial: partitions " + (index << level) + ".." + ((index + 1 << level) - 1)
                + " were counted twice (a task result merged twice?)");
          }
          return;
        }
      }
      n = (index & 1) == 0 ? combine(n, s) : combine(s, n);
      index >>= 1;
      level++;
    }
    if (nodes.put(key(level, index), n) != null) {
      throw new IllegalStateException("Partial: a partition was counted twice (a task result merged twice?)");
    }
  }

  private static long key(int level, long index) {
    return ((long) level << 32) | index;
  }

  /** {@code left + right}, in that order; reuses their arrays. */
  private static Node combine(Node left, Node right) {
    Node keep;
    Node other;
    if (right.contributors == 0) {
      keep = left;
      other = right;
    } else if (left.contributors == 0) {
      keep = right;
      other = left;
    } else {
      scale(left);
      scale(right);
      float[][] a = left.vectors;
      float[][] b = right.vectors;
      if (a.length != b.length) {
        throw new IllegalStateException("Partial: contributions of " + a.length + " and " + b.length + " vectors");
      }
      for (int i = 0; i < a.length; i++) {
        float[] x = a[i];
        float[] y = b[i];
        for (int j = 0; j < x.length; j++) {
          x[j] += y[j];
        }
      }
      left.weight += right.weight;
      left.contributors += right.contributors;
      keep = left;
      other = right;
    }
    keep.lossSum += other.lossSum;
    for (int k = 0; k < keep.metricSums.length; k++) {
      keep.metricSums[k] += other.metricSums[k];
    }
    keep.samples += other.samples;
    keep.steps = Math.max(keep.steps, other.steps);
    if (keep.stateKeys == null) {
      keep.stateKeys = other.stateKeys;
      keep.stateShapes = other.stateShapes;
    }
    if (other.failure != null && (keep.failure == null || other.failedPartition < keep.failedPartition)) {
      keep.failure = other.failure;
      keep.failedPartition = other.failedPartition;
      keep.failedStep = other.failedStep;
      keep.failedLoss = other.failedLoss;
    }
    return keep;
  }

  private static void scale(Node n) {
    if (n.scaled) {
      return;
    }
    float w = (float) n.weight;
    for (float[] v : n.vectors) {
      for (int j = 0; j < v.length; j++) {
        v[j] *= w;
      }
    }
    n.scaled = true;
  }

  /**
   * The whole tree, once every partition has been added.
   *
   * @throws IllegalStateException naming the partitions missing
   */
  Node root() {
    Node root = nodes.get(key(rootLevel, 0));
    if (root == null || nodes.size() != 1) {
      StringBuilder missing = new StringBuilder();
      for (Map.Entry<Long, Node> e : nodes.entrySet()) {
        int level = (int) (e.getKey() >>> 32);
        long index = e.getKey() & 0xFFFFFFFFL;
        missing.append(' ').append(index << level).append("..").append(Math.min(partitions, (index + 1) << level) - 1);
      }
      throw new IllegalStateException("Partial: not every partition of " + partitions + " contributed; present:" + missing);
    }
    return root;
  }

  /** The weighted mean of the root's vectors: a lone contribution as it was, else the sum over the weight. */
  static float[][] mean(Node root) {
    if (root.contributors == 0) {
      return null;
    }
    if (!root.scaled) {
      return root.vectors;
    }
    double w = root.weight;
    for (float[] v : root.vectors) {
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) (v[j] / w);
      }
    }
    return root.vectors;
  }
}
