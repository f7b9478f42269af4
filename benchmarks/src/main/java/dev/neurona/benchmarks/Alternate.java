package dev.neurona.benchmarks;

import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Two builds of {@code core} compared in one JVM, alternately: for machines too noisy for separate
 * JMH runs (a shared VM whose speed drifts by 20% from minute to minute). Each build is loaded in its
 * own class loader (its own kernels, thread pool and buffers); the workload runs ~0.25 s on one, then
 * on the other, 14 rounds with the order swapped every round, and the medians of the last 10 rounds
 * are compared. Not JMH: no forks, no blackholes; the workloads are large enough (≥ 0.1 ms a call)
 * for that not to matter.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.neurona.benchmarks.Alternate \
 *   A B workload [threads]
 *
 *   A, B      core classes of two builds: a jar (e.g. one build's benchmarks.jar) or a classes folder
 *   workload  sgemm:M,N,K[,AB]   C = op(A)·op(B) with AB one of NN NT TN TT (default NN), beta 0
 *             forward:NET[,batch] | inputgrad:NET[,batch] | kernelgrad:NET[,batch]
 *             | forwardpool:NET[,batch] (the convolution with ReLU, pooled 2×2 as inference runs it)
 *             | forwardtrain:NET[,batch] (the same with each window's argmax, as training runs it)
 *             with NET one of mnist1 mnist2 captcha1 captcha2 flowers1 flowers2 flowers3 (a tutorial
 *             network's convolution; batch 128 by default)
 *             train:NET[,batch] | predict:NET[,batch]   a training step or a prediction of a whole
 *             network (NET one of TrainStepBenchmark's), images/s instead of GFLOP/s
 *   threads   Parallel.setThreads (default 2)</pre>
 */
public final class Alternate {
  static final int ROUNDS = 14;
  static final int WARM_ROUNDS = 4;
  static final long ROUND_NANOS = 250_000_000L;

  private Alternate() {}

  /** The tutorial networks' convolutions: input h, w, c, square window, output channels (stride 1, same padding). */
  static int[] convolution(String net) {
    switch (net) {
      case "mnist1": return new int[] {28, 28, 1, 5, 32};
      case "mnist2": return new int[] {14, 14, 32, 5, 64};
      case "captcha1": return new int[] {20, 20, 1, 5, 20};
      case "captcha2": return new int[] {10, 10, 20, 5, 50};
      case "flowers1": return new int[] {180, 180, 3, 3, 16};
      case "flowers2": return new int[] {90, 90, 16, 3, 32};
      case "flowers3": return new int[] {45, 45, 32, 3, 64};
      default:
        throw new IllegalArgumentException("Alternate: unknown convolution '" + net
            + "' (mnist1, mnist2, captcha1, captcha2, flowers1, flowers2, flowers3)");
    }
  }

  /** One build's workload: a call to make repeatedly ({@link #workload} gives its flops). */
  interface Workload {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: Alternate A B workload [threads]   (see the class comment)");
      System.exit(2);
    }
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    String spec = args[2];
    double[] flops = new double[1];
    Workload a = workload(loader(args[0]), spec, threads, flops);
    Workload b = workload(loader(args[1]), spec, threads, flops);
    double[][] ms = new double[2][ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      for (int x = 0; x < 2; x++) {
        int which = round % 2 == 0 ? x : 1 - x;
        Workload w = which == 0 ? a : b;
        long t0 = System.nanoTime();
        int calls = 0;
        while (System.nanoTime() - t0 < ROUND_NANOS) {
          w.run();
          calls++;
        }
        ms[which][round] = (System.nanoTime() - t0) / 1e6 / calls;
      }
    }
    double ma = median(ms[0]), mb = median(ms[1]);
    // flops[0] < 0: -images per call
    String unit = flops[0] < 0 ? "images/s" : "GFLOP/s";
    double per = flops[0] < 0 ? -flops[0] * 1e3 : flops[0] / 1e6;
    System.out.printf(Locale.ROOT, "%s, %d threads: A %.3f ms (%.1f %s), B %.3f ms (%.1f %s), B/A time %.3f"
        + " (medians of %d rounds, alternated)%n", spec, threads, ma, per / ma, unit, mb, per / mb, unit, mb / ma,
        ROUNDS - WARM_ROUNDS);
    System.exit(0); // the two builds' worker threads
  }

  static double median(double[] rounds) {
    double[] v = Arrays.copyOfRange(rounds, WARM_ROUNDS, rounds.length);
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** {@code Nets}' package-private factory methods, made callable. */
  private static Method declared(Class<?> c, String name, Class<?>... params) throws NoSuchMethodException {
    Method m = c.getDeclaredMethod(name, params);
    m.setAccessible(true);
    return m;
  }

  /** A class loader that sees the JDK and {@code path}'s classes only. */
  static ClassLoader loader(String path) throws MalformedURLException {
    Path p = Path.of(path);
    if (!Files.exists(p)) {
      throw new IllegalArgumentException("Alternate: no jar or classes folder at " + p.toAbsolutePath());
    }
    return new URLClassLoader(new URL[] {p.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
  }

  /** The workload {@code spec} on the build of {@code cl}, through core's public API; sets {@code flops[0]}. */
  static Workload workload(ClassLoader cl, String spec, int threads, double[] flops) throws Exception {
    cl.loadClass("dev.neurona.core.Parallel").getMethod("setThreads", int.class).invoke(null, threads);
    String[] kind = spec.split(":", 2);
    if (kind.length != 2) {
      throw new IllegalArgumentException("Alternate: workload must be kind:arguments, got '" + spec + "'");
    }
    String[] arg = kind[1].split(",");
    Random rnd = new Random(7);
    if (kind[0].equals("sgemm")) {
      int m = Integer.parseInt(arg[0]), n = Integer.parseInt(arg[1]), k = Integer.parseInt(arg[2]);
      String ops = arg.length > 3 ? arg[3] : "NN";
      boolean ta = ops.charAt(0) == 'T', tb = ops.charAt(1) == 'T';
      float[] x = GemmBenchmark.fill(new float[m * k], rnd), y = GemmBenchmark.fill(new float[k * n], rnd);
      float[] c = new float[m * n];
      Method sgemm = cl.loadClass("dev.neurona.core.gemm.Gemm").getMethod("sgemm", boolean.class, boolean.class, int.class,
          int.class, int.class, float.class, float[].class, int.class, int.class, float[].class, int.class, int.class,
          float.class, float[].class, int.class, int.class);
      flops[0] = 2.0 * m * n * k;
      return () -> sgemm.invoke(null, ta, tb, m, n, k, 1f, x, 0, ta ? m : k, y, 0, tb ? k : n, 0f, c, 0, n);
    }
    if (kind[0].equals("train") || kind[0].equals("predict")) {
      int batch = arg.length > 1 ? Integer.parseInt(arg[1]) : 128;
      Class<?> nets = cl.loadClass("dev.neurona.benchmarks.Nets");
      Object model = declared(nets, "compiled", String.class, long.class).invoke(null, arg[0], 1L);
      Class<?> sequential = model.getClass();
      Object x = declared(nets, "inputs", sequential, int.class, Random.class).invoke(null, model, batch, rnd);
      Object y = declared(nets, "labels", sequential, int.class, Random.class).invoke(null, model, batch, rnd);
      Class<?> tensor = x.getClass();
      flops[0] = -batch;
      if (kind[0].equals("train")) {
        Method step = sequential.getMethod("trainOnBatch", tensor, tensor);
        return () -> step.invoke(model, x, y);
      }
      Method predict = sequential.getMethod("predict", tensor);
      return () -> predict.invoke(model, x);
    }
    if (!List.of("forward", "inputgrad", "kernelgrad", "forwardpool", "forwardtrain").contains(kind[0])) {
      throw new IllegalArgumentException("Alternate: unknown workload kind '" + kind[0]
          + "' (sgemm, forward, forwardpool, forwardtrain, inputgrad, kernelgrad, train, predict)");
    }
    int[] d = convolution(arg[0]);
    int batch = arg.length > 1 ? Integer.parseInt(arg[1]) : 128;
    Class<?> geometry = cl.loadClass("dev.neurona.core.conv.ConvGeometry");
    Class<?> padding = cl.loadClass("dev.neurona.core.conv.Padding");
    Object g = geometry.getMethod("of", int.class, int.class, int.class, int.class, int.class, int.class, int.class, padding,
        int.class).invoke(null, d[0], d[1], d[2], d[3], d[3], 1, 1, padding.getField("SAME").get(null), d[4]);
    Class<?> conv = cl.loadClass("dev.neurona.core.conv.Convolution");
    int in = batch * d[0] * d[1] * d[2], out = batch * d[0] * d[1] * d[4], kernel = d[3] * d[3] * d[2] * d[4];
    float[] input = GemmBenchmark.fill(new float[in], rnd), dOut = GemmBenchmark.fill(new float[out], rnd);
    float[] weights = GemmBenchmark.fill(new float[kernel], rnd);
    float[] output = new float[out], dInput = new float[in], dKernel = new float[kernel], bias = new float[d[4]];
    flops[0] = 2.0 * out * d[3] * d[3] * d[2];
    List<Class<?>> p = new ArrayList<>(List.of(geometry, int.class, float[].class, float[].class, float[].class));
    switch (kind[0]) {
      case "forward": {
        p.add(float[].class);
        Method m = conv.getMethod("forward", p.toArray(new Class<?>[0]));
        return () -> m.invoke(null, g, batch, input, weights, bias, output);
      }
      case "forwardpool": {
        Object pool = geometry.getMethod("of", int.class, int.class, int.class, int.class, int.class, int.class, int.class,
            padding, int.class).invoke(null, d[0], d[1], d[4], 2, 2, 2, 2, padding.getField("VALID").get(null), d[4]);
        float[] pooled = new float[batch * (d[0] / 2) * (d[1] / 2) * d[4]];
        Method m = conv.getMethod("forwardMaxPool", geometry, int.class, float[].class, float[].class, float[].class,
            boolean.class, geometry, float[].class);
        return () -> m.invoke(null, g, batch, input, weights, bias, true, pool, pooled);
      }
      case "forwardtrain": { // forwardpool as training runs it: with each window's argmax
        Object pool = geometry.getMethod("of", int.class, int.class, int.class, int.class, int.class, int.class, int.class,
            padding, int.class).invoke(null, d[0], d[1], d[4], 2, 2, 2, 2, padding.getField("VALID").get(null), d[4]);
        float[] pooled = new float[batch * (d[0] / 2) * (d[1] / 2) * d[4]];
        int[] argmax = new int[pooled.length];
        Method m = conv.getMethod("forwardMaxPool", geometry, int.class, float[].class, float[].class, float[].class,
            boolean.class, geometry, float[].class, int[].class);
        return () -> m.invoke(null, g, batch, input, weights, bias, true, pool, pooled, argmax);
      }
      case "inputgrad": {
        Method m = conv.getMethod("backwardInput", p.toArray(new Class<?>[0]));
        return () -> m.invoke(null, g, batch, dOut, weights, dInput);
      }
      default: // kernelgrad
        Method m = conv.getMethod("backwardKernel", p.toArray(new Class<?>[0]));
        return () -> m.invoke(null, g, batch, input, dOut, dKernel);
    }
  }
}
