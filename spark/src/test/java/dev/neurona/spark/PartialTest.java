package dev.neurona.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PartialTest {
  private static Partial.Node leaf(Random rng, int size, int weight) {
    Partial.Node n = new Partial.Node(1);
    n.vectors = new float[][] {new float[size], new float[3]};
    for (float[] v : n.vectors) {
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(8) - 4)); // wide exponents: order matters
      }
    }
    n.weight = weight;
    n.samples = weight;
    n.lossSum = rng.nextDouble() * weight;
    n.metricSums[0] = rng.nextDouble() * weight;
    n.contributors = 1;
    n.steps = 1;
    return n;
  }

  /** The leaves of {@code partitions} partitions, merged in a random grouping and order, as Spark's tasks may finish. */
  private static Partial.Node shuffledTree(int partitions, long dataSeed, long orderSeed) {
    Random data = new Random(dataSeed);
    List<Partial> parts = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      // every third partition is empty (no batch left in the round)
      Partial.Node leaf = p % 3 == 2 ? new Partial.Node(1) : leaf(data, 50, 1 + data.nextInt(64));
      parts.add(new Partial(partitions, 1).add(p, leaf));
    }
    Random order = new Random(orderSeed);
    Collections.shuffle(parts, order);
    while (parts.size() > 1) {
      Partial a = parts.remove(order.nextInt(parts.size()));
      Partial b = parts.remove(order.nextInt(parts.size()));
      parts.add(a.merge(b));
    }
    return parts.get(0).root();
  }

  @Test
  void theSumIsTheSameBitsInAnyMergeOrder() {
    for (int partitions : new int[] {2, 3, 5, 8, 13}) {
      Partial.Node first = shuffledTree(partitions, 1, 100);
      float[][] expected = Partial.mean(first);
      for (long order = 101; order < 110; order++) {
        Partial.Node other = shuffledTree(partitions, 1, order);
        assertThat(other.lossSum).isEqualTo(first.lossSum);
        assertThat(other.metricSums).containsExactly(first.metricSums);
        assertThat(other.samples).isEqualTo(first.samples);
        float[][] got = Partial.mean(other);
        for (int i = 0; i < expected.length; i++) {
          assertThat(got[i]).as("%d partitions, merge order %d, vector %d", partitions, order, i)
              .containsExactly(expected[i]);
        }
      }
    }
  }

  @Test
  void theMeanIsWeightedBySamples() {
    Partial.Node a = new Partial.Node(0);
    a.vectors = new float[][] {{1f, 10f}};
    a.weight = 3;
    a.contributors = 1;
    Partial.Node b = new Partial.Node(0);
    b.vectors = new float[][] {{5f, 2f}};
    b.weight = 1;
    b.contributors = 1;
    Partial.Node root = new Partial(2, 0).add(1, b).merge(new Partial(2, 0).add(0, a)).root();
    assertThat(Partial.mean(root)[0]).containsExactly(2f, 8f); // (3·1 + 5)/4, (3·10 + 2)/4
  }

  @Test
  void aLoneContributionComesBackAsItWas() {
    Random rng = new Random(7);
    Partial.Node only = leaf(rng, 20, 37);
    float[] copy = only.vectors[0].clone();
    Partial all = new Partial(4, 1).add(2, only);
    for (int p : new int[] {0, 1, 3}) {
      all.merge(new Partial(4, 1).add(p, new Partial.Node(1)));
    }
    assertThat(Partial.mean(all.root())[0]).containsExactly(copy);
  }

  @Test
  void aMissingOrRepeatedPartitionIsAnError() {
    Partial two = new Partial(3, 0).add(0, new Partial.Node(0)).add(2, new Partial.Node(0));
    assertThatThrownBy(two::root).hasMessageContaining("not every partition of 3 contributed");
    assertThatThrownBy(() -> new Partial(3, 0).add(3, new Partial.Node(0))).hasMessageContaining("partition 3");
    Partial once = new Partial(4, 0).add(1, new Partial.Node(0));
    assertThatThrownBy(() -> once.add(1, new Partial.Node(0))).hasMessageContaining("counted twice");
  }
}
