package dev.neurona.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where C2 left a Vector API value out of line: reads HotSpot compilation logs and prints each call that C2 did not
 * inline, in a compilation of a {@code dev.neurona} method, whose callee takes or returns a vector. Such a call boxes
 * its vectors, and a store or operation inside it that C2 could not intrinsify runs as plain Java (perf shows
 * {@code VectorSupport.store} or {@code binaryOp}). JDK 17's C2 stops inlining in a compilation once it has parsed
 * {@code NodeCountInliningCutoff} nodes, and each vector operation parses into many, so the last calls of a long
 * kernel were the ones left out, in some JVM runs and not in others.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation \
 *   -XX:LogFile=c2.log -cp benchmarks.jar dev.neurona.benchmarks.Alternate benchmarks.jar benchmarks.jar train:flowers,32
 * java -cp benchmarks.jar dev.neurona.benchmarks.InliningReport c2.log
 * </pre>
 *
 * <p>Each line: how many times, the compiled method, the callee left out of line, C2's reason. Nothing printed
 * means no vector crossed a call in the compiled code of these runs.
 */
public final class InliningReport {
  private static final Pattern ID = Pattern.compile("\\bid='(\\d+)'");
  private static final Pattern NAME = Pattern.compile("\\bname='([^']*)'");
  private static final Pattern HOLDER = Pattern.compile("\\bholder='(\\d+)'");
  private static final Pattern ARGUMENTS = Pattern.compile("\\barguments='([^']*)'");
  private static final Pattern RETURN = Pattern.compile("\\breturn='(\\d+)'");
  private static final Pattern METHOD = Pattern.compile("\\bmethod='([^']*)'");
  private static final Pattern LEVEL = Pattern.compile("\\blevel='(\\d)'");
  private static final Pattern REASON = Pattern.compile("\\breason='([^']*)'");

  private InliningReport() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: InliningReport LOG... (files written by -XX:+LogCompilation -XX:LogFile=LOG)");
      System.exit(2);
    }
    Map<String, Integer> found = new TreeMap<>();
    for (String file : args) {
      scan(Path.of(file), found);
    }
    found.forEach((line, n) -> System.out.printf("%5d  %s%n", n, line));
  }

  /** Adds the log's out-of-line vector calls in C2 compilations of Neurona methods to {@code found}. */
  static void scan(Path log, Map<String, Integer> found) throws IOException {
    if (!Files.isRegularFile(log)) {
      throw new IllegalArgumentException("InliningReport: no compilation log at " + log.toAbsolutePath());
    }
    Map<String, String> types = new HashMap<>(); // klass and type ids to names, per compilation task
    Map<String, String> methods = new HashMap<>(); // method ids to "Holder.name", vector signatures only
    String task = null; // the Neurona method C2 is compiling, or null
    String callee = null; // the last call's method when it has a vector in its signature
    try (BufferedReader in = Files.newBufferedReader(log)) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("<task ")) {
          types.clear();
          methods.clear();
          String method = group(METHOD, line);
          String level = group(LEVEL, line);
          boolean c2 = level == null || level.equals("4");
          task = c2 && method != null && method.startsWith("dev.neurona.") ? shortName(method) : null;
        } else if (task == null) {
          continue;
        } else if (line.startsWith("<klass ") || line.startsWith("<type ")) {
          types.put(group(ID, line), group(NAME, line));
        } else if (line.startsWith("<method ")) {
          if (hasVector(line, types)) {
            String holder = types.getOrDefault(group(HOLDER, line), "?");
            methods.put(group(ID, line), holder.substring(holder.lastIndexOf('.') + 1) + "." + group(NAME, line));
          }
        } else if (line.startsWith("<call ")) {
          callee = methods.get(group(METHOD, line));
        } else if (line.startsWith("<inline_fail ") && callee != null) {
          found.merge(task + " -> " + callee + ": " + group(REASON, line), 1, Integer::sum);
        }
      }
    }
  }

  /** Whether a {@code <method>} element's arguments or return type include a {@code jdk.incubator.vector} class. */
  private static boolean hasVector(String line, Map<String, String> types) {
    String arguments = group(ARGUMENTS, line), ret = group(RETURN, line);
    String all = (arguments == null ? "" : arguments) + " " + (ret == null ? "" : ret);
    for (String id : all.trim().split("\\s+")) {
      String type = types.get(id);
      if (type != null && type.startsWith("jdk.incubator.vector.")) {
        return true;
      }
    }
    return false;
  }

  /** {@code dev.neurona.core.kernels.simd.VectorKernels gradTileRun9 (...)V} as {@code VectorKernels.gradTileRun9}. */
  private static String shortName(String method) {
    String[] parts = method.split(" ");
    String holder = parts[0];
    return holder.substring(holder.lastIndexOf('.') + 1) + (parts.length > 1 ? "." + parts[1] : "");
  }

  private static String group(Pattern p, String line) {
    Matcher m = p.matcher(line);
    return m.find() ? m.group(1).replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">") : null;
  }
}
