package dev.neurona.keras;

import dev.neurona.core.Parameter;
import dev.neurona.core.Tensor;
import dev.neurona.layers.loss.BinaryCrossentropy;
import dev.neurona.layers.loss.CategoricalCrossentropy;
import dev.neurona.layers.loss.Loss;
import dev.neurona.layers.loss.Losses;
import dev.neurona.layers.loss.MeanSquaredError;
import dev.neurona.layers.loss.Metric;
import dev.neurona.layers.loss.Metrics;
import dev.neurona.layers.loss.SparseCategoricalCrossentropy;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Keras' training configuration (optimizer, loss, metrics) to Neurona's and back, and the optimizer
 * state. Neurona's SGD and Adam follow Keras' update rules and variable layout (SGD's velocity
 * {@code v = μv − lr·g}, Adam's {@code m} and {@code v} with the bias correction folded into the step),
 * so what maps, maps exactly; what does not (clipping, EMA, loss scaling, gradient accumulation,
 * SGD's decoupled weight decay, other optimizers, losses and metrics) is reported as an issue and the
 * model stays uncompiled.
 */
final class KerasTraining {
  /** Optimizer keys that change nothing when absent, null, false or at these values. */
  private static final Set<String> OPTIMIZER_IRRELEVANT = Set.of("name", "ema_momentum", "ema_overwrite_frequency",
      "jit_compile", "is_legacy_optimizer", "mesh", "exclude_from_weight_decay");

  private KerasTraining() {}

  /** A training configuration Neurona can compile with. */
  record Compiled(Optimizer optimizer, Loss loss, List<Metric> metrics, String kerasOptimizer) {}

  // ---------------------------------------------------------------- Keras → Neurona

  /**
   * The training configuration, or null after adding the reason to {@code ctx.trainingIssues}.
   *
   * @param optimizer Keras' serialized optimizer ({@code {class_name, config}})
   * @param loss a loss name or serialized loss
   * @param metrics a list of metric names or serialized metrics (may be null)
   * @param others the remaining compile arguments (loss_weights, weighted_metrics, ...)
   */
  static Compiled read(ImportContext ctx, Object optimizer, Object loss, Object metrics, Map<String, Object> others) {
    for (String k : List.of("loss_weights", "weighted_metrics")) {
      Object v = others.get(k);
      if (v != null && !(v instanceof List && ((List<?>) v).isEmpty())) {
        ctx.trainingIssues.add("compile argument " + k + "=" + KerasJson.describe(v) + " has no Neurona equivalent");
      }
    }
    Optimizer opt = optimizer(ctx, optimizer);
    Loss l = loss(ctx, loss);
    List<Metric> ms = l == null ? null : metrics(ctx, metrics, l);
    if (!ctx.trainingIssues.isEmpty() || opt == null || l == null || ms == null) { // layer issues count too
      return null;
    }
    return new Compiled(opt, l, ms, String.valueOf(((Map<?, ?>) optimizer).get("class_name")));
  }

  private static Optimizer optimizer(ImportContext ctx, Object entry) {
    if (!(entry instanceof Map) || !(((Map<?, ?>) entry).get("class_name") instanceof String)) {
      ctx.trainingIssues.add("the optimizer " + KerasJson.describe(entry) + " is not a serialized Keras optimizer");
      return null;
    }
    String cls = (String) ((Map<?, ?>) entry).get("class_name");
    Object cfgObj = ((Map<?, ?>) entry).get("config");
    Map<?, ?> cfg = cfgObj instanceof Map ? (Map<?, ?>) cfgObj : Map.of();
    String kind = cls.toLowerCase(Locale.ROOT);
    if (!kind.equals("adam") && !kind.equals("adamw") && !kind.equals("sgd")) {
      ctx.trainingIssues.add("optimizer " + cls + " has no Neurona equivalent (Neurona has SGD, Adam and AdamW)");
      return null;
    }
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("name", kind.equals("sgd") ? "sgd" : "adam");
    int before = ctx.trainingIssues.size();
    for (Map.Entry<?, ?> e : cfg.entrySet()) {
      String k = String.valueOf(e.getKey());
      Object v = e.getValue();
      switch (k) {
        case "learning_rate":
        case "lr":
          n.put("learning_rate", schedule(ctx, cls, v));
          break;
        case "beta_1":
        case "beta_2":
        case "epsilon":
        case "amsgrad":
        case "momentum":
        case "nesterov":
          n.put(k, v);
          break;
        case "weight_decay":
          if (v != null && ((Number) v).doubleValue() != 0) {
            if (kind.equals("sgd")) {
              ctx.trainingIssues.add("SGD weight_decay=" + v + " is decoupled in Keras; Neurona's SGD adds it to the"
                  + " gradient (L2), a different update");
            } else {
              n.put("weight_decay", v);
            }
          }
          break;
        case "decay": // Keras 2's inverse-time decay
          if (v instanceof Number && ((Number) v).doubleValue() != 0) {
            ctx.trainingIssues.add("optimizer " + cls + " decay=" + v + " (Keras 2's per-step decay) has no Neurona equivalent");
          }
          break;
        default:
          if (!OPTIMIZER_IRRELEVANT.contains(k) && v != null && !Boolean.FALSE.equals(v)) {
            ctx.trainingIssues.add("optimizer " + cls + " option " + k + "=" + KerasJson.describe(v)
                + " has no Neurona equivalent");
          }
      }
    }
    if (kind.equals("adamw") && !n.containsKey("weight_decay")) {
      n.put("weight_decay", 0.004); // Keras' AdamW default
    }
    if (ctx.trainingIssues.size() > before) {
      return null;
    }
    try {
      return Optimizer.fromConfig(n);
    } catch (IllegalArgumentException e) {
      ctx.trainingIssues.add("optimizer " + cls + ": " + e.getMessage());
      return null;
    }
  }

  /** A learning rate: a number, or a Keras schedule Neurona has (ExponentialDecay, CosineDecay without warm-up). */
  private static Object schedule(ImportContext ctx, String optimizer, Object v) {
    if (v instanceof Number) {
      return v;
    }
    if (v instanceof Map && ((Map<?, ?>) v).get("config") instanceof Map) {
      String cls = String.valueOf(((Map<?, ?>) v).get("class_name"));
      Map<?, ?> c = (Map<?, ?>) ((Map<?, ?>) v).get("config");
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("class_name", cls);
      if (cls.equals("ExponentialDecay")) {
        for (String k : List.of("initial_learning_rate", "decay_steps", "decay_rate", "staircase")) {
          n.put(k, c.get(k));
        }
        return n;
      }
      if (cls.equals("CosineDecay") && c.get("warmup_target") == null
          && (c.get("warmup_steps") == null || ((Number) c.get("warmup_steps")).longValue() == 0)) {
        for (String k : List.of("initial_learning_rate", "decay_steps", "alpha")) {
          n.put(k, c.get(k));
        }
        return n;
      }
    }
    ctx.trainingIssues.add("optimizer " + optimizer + " learning_rate " + KerasJson.describe(v)
        + " has no Neurona equivalent (Neurona reads numbers, ExponentialDecay and CosineDecay without warm-up)");
    return 0.001;
  }

  private static Loss loss(ImportContext ctx, Object v) {
    if (v instanceof Map && ((Map<?, ?>) v).get("config") instanceof String) {
      v = ((Map<?, ?>) v).get("config"); // a loss function: {"class_name": "function", "config": "mse"}
    }
    if (v instanceof String) {
      String name = (String) v;
      if (name.equals("mean_squared_error") || name.equals("mse") || name.equals("sparse_categorical_crossentropy")
          || name.equals("categorical_crossentropy") || name.equals("binary_crossentropy")) {
        return Losses.of(name);
      }
    } else if (v instanceof Map && ((Map<?, ?>) v).get("class_name") instanceof String) {
      String cls = (String) ((Map<?, ?>) v).get("class_name");
      Object cfgObj = ((Map<?, ?>) v).get("config");
      Map<?, ?> cfg = cfgObj instanceof Map ? (Map<?, ?>) cfgObj : Map.of();
      boolean logits = Boolean.TRUE.equals(cfg.get("from_logits"));
      List<String> off = new ArrayList<>();
      for (Map.Entry<?, ?> e : cfg.entrySet()) {
        String k = String.valueOf(e.getKey());
        Object x = e.getValue();
        boolean fine = k.equals("name") || k.equals("from_logits") || k.equals("dtype") || x == null
            || Boolean.FALSE.equals(x)
            || (k.equals("reduction") && (x.equals("sum_over_batch_size") || x.equals("auto")))
            || (k.equals("axis") && Long.valueOf(-1).equals(x))
            || (k.equals("label_smoothing") && x instanceof Number && ((Number) x).doubleValue() == 0);
        if (!fine) {
          off.add(k + "=" + KerasJson.describe(x));
        }
      }
      if (off.isEmpty()) {
        switch (cls) {
          case "SparseCategoricalCrossentropy":
            return new SparseCategoricalCrossentropy(logits);
          case "CategoricalCrossentropy":
            return new CategoricalCrossentropy(logits);
          case "BinaryCrossentropy":
            return new BinaryCrossentropy(logits);
          case "MeanSquaredError":
            if (!logits) {
              return new MeanSquaredError();
            }
            break;
          default:
            break;
        }
      } else {
        ctx.trainingIssues.add("loss " + cls + " with " + String.join(", ", off) + " has no Neurona equivalent");
        return null;
      }
    }
    ctx.trainingIssues.add("loss " + KerasJson.describe(v) + " has no Neurona equivalent (Neurona has"
        + " sparse_categorical_crossentropy, categorical_crossentropy, binary_crossentropy and mean_squared_error)");
    return null;
  }

  private static List<Metric> metrics(ImportContext ctx, Object v, Loss loss) {
    List<Metric> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof List)) {
      ctx.trainingIssues.add("metrics " + KerasJson.describe(v) + " are not a list");
      return null;
    }
    if (((List<?>) v).size() == 1 && ((List<?>) v).get(0) instanceof List) {
      v = ((List<?>) v).get(0); // Keras 2: one list per output
    }
    for (Object m : (List<?>) v) {
      if (m instanceof Map && "MeanMetricWrapper".equals(((Map<?, ?>) m).get("class_name"))
          && ((Map<?, ?>) m).get("config") instanceof Map) {
        Map<?, ?> c = (Map<?, ?>) ((Map<?, ?>) m).get("config");
        m = "accuracy".equals(c.get("name")) || "acc".equals(c.get("name")) ? "accuracy" : c.get("fn"); // Keras 2
      }
      String name = m instanceof String ? (String) m
          : m instanceof Map && ((Map<?, ?>) m).get("class_name") instanceof String
              ? KerasLayers.snake((String) ((Map<?, ?>) m).get("class_name")) : null;
      if (name != null && ((Map<?, ?>) (m instanceof Map ? m : Map.of())).get("config") instanceof Map) {
        Map<?, ?> c = (Map<?, ?>) ((Map<?, ?>) m).get("config");
        for (Map.Entry<?, ?> e : c.entrySet()) {
          String k = String.valueOf(e.getKey());
          if (!k.equals("name") && !k.equals("dtype") && e.getValue() != null
              && !(k.equals("threshold") && e.getValue() instanceof Number && ((Number) e.getValue()).doubleValue() == 0.5)) {
            name = null;
          }
        }
      }
      try {
        if (name == null) {
          throw new IllegalArgumentException("not a metric name");
        }
        out.add(name.equals("accuracy") || name.equals("acc") ? Metrics.accuracy(loss) : Metrics.of(name, loss.name()));
      } catch (IllegalArgumentException e) {
        ctx.trainingIssues.add("metric " + KerasJson.describe(m) + " has no Neurona equivalent");
        return null;
      }
    }
    return out;
  }

  /**
   * Restores Keras' optimizer variables ({@code [iterations, learning_rate?, slots...]}, in Keras'
   * order) into {@code opt}; returns null on success, else why not (the optimizer then starts fresh).
   */
  static String restoreState(Optimizer opt, Sequential model, List<Tensor> vars, long iterations) {
    List<Parameter> params = model.trainableParameters();
    Map<String, Object> cfg = opt.config();
    boolean schedule = cfg.get("learning_rate") instanceof Map;
    int offset = schedule ? 1 : 2;
    List<String> slots = new ArrayList<>();
    // With AMSGrad, Keras' Adam adds its velocity_hat variables after all the interleaved
    // momentum/velocity pairs: [m0, v0, m1, v1, ..., vhat0, vhat1, ...].
    boolean amsgrad = opt.name().equals("adam") && Boolean.TRUE.equals(cfg.get("amsgrad"));
    if (opt.name().equals("adam")) {
      slots.add("m");
      slots.add("v");
    } else if (((Number) cfg.get("momentum")).doubleValue() > 0) {
      slots.add("velocity");
    }
    int pairs = slots.size() * params.size();
    int expected = offset + pairs + (amsgrad ? params.size() : 0);
    if (vars.size() != expected) {
      return "the file has " + vars.size() + " optimizer variables, " + opt.name() + " over " + params.size()
          + " trainable weights needs " + expected;
    }
    Map<String, Tensor> state = new LinkedHashMap<>();
    for (int i = 0; i < params.size(); i++) {
      Parameter p = params.get(i);
      for (int s = 0; s < slots.size(); s++) {
        int at = offset + i * slots.size() + s; // Keras interleaves: m0, v0, m1, v1, ...
        Tensor t = vars.get(at);
        if (t == null || !t.shape().equals(p.shape())) {
          return "optimizer variable " + at + " has shape " + (t == null ? "?" : t.shape()) + ", expected "
              + p.shape() + " (" + slots.get(s) + " of " + p.name() + ")";
        }
        state.put(p.name() + "/" + slots.get(s), t);
      }
      if (amsgrad) {
        int at = offset + pairs + i;
        Tensor t = vars.get(at);
        if (t == null || !t.shape().equals(p.shape())) {
          return "optimizer variable " + at + " has shape " + (t == null ? "?" : t.shape()) + ", expected "
              + p.shape() + " (velocity_hat of " + p.name() + ")";
        }
        state.put(p.name() + "/vhat", t);
      }
    }
    try {
      opt.restoreState(iterations, state);
    } catch (RuntimeException e) {
      return e.getMessage();
    }
    return null;
  }

  // ---------------------------------------------------------------- Neurona → Keras

  /**
   * Keras' {@code compile_config} for a compiled model, or null (adding why to {@code issues}) when
   * Keras has no equivalent.
   */
  static Map<String, Object> compileConfig(Sequential model, List<String> issues) {
    Optimizer opt = model.optimizer();
    Loss loss = model.loss();
    if (opt == null || loss == null) {
      return null;
    }
    Map<String, Object> n = opt.config();
    String name = opt.name();
    if (!opt.isResumable() || !(name.equals("adam") || name.equals("sgd"))) {
      issues.add("optimizer " + opt + " has no Keras equivalent that Neurona writes");
      return null;
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    Object lr = n.get("learning_rate");
    if (lr instanceof Map) {
      Map<?, ?> s = (Map<?, ?>) lr;
      Map<String, Object> sc = new LinkedHashMap<>();
      String cls = String.valueOf(s.get("class_name"));
      if (!cls.equals("ExponentialDecay") && !cls.equals("CosineDecay")) {
        issues.add("learning-rate schedule " + cls + " has no Keras equivalent that Neurona writes");
        return null;
      }
      for (Map.Entry<?, ?> e : s.entrySet()) {
        if (!e.getKey().equals("class_name")) {
          sc.put(String.valueOf(e.getKey()), e.getValue());
        }
      }
      sc.put("name", cls);
      Map<String, Object> se = new LinkedHashMap<>();
      se.put("module", "keras.optimizers.schedules");
      se.put("class_name", cls);
      se.put("config", sc);
      se.put("registered_name", null);
      lr = se;
    }
    c.put("learning_rate", lr);
    double wd = ((Number) n.get("weight_decay")).doubleValue();
    if (name.equals("sgd") && wd != 0) {
      issues.add("SGD weight decay " + wd + " is L2 on the gradient in Neurona, decoupled in Keras");
      return null;
    }
    c.put("weight_decay", wd == 0 ? null : n.get("weight_decay"));
    c.put("clipnorm", null);
    c.put("global_clipnorm", null);
    c.put("clipvalue", null);
    c.put("use_ema", false);
    c.put("ema_momentum", 0.99);
    c.put("ema_overwrite_frequency", null);
    c.put("loss_scale_factor", null);
    c.put("gradient_accumulation_steps", null);
    if (name.equals("adam")) {
      c.put("beta_1", n.get("beta_1"));
      c.put("beta_2", n.get("beta_2"));
      c.put("epsilon", n.get("epsilon"));
      c.put("amsgrad", n.get("amsgrad"));
    } else {
      c.put("momentum", n.get("momentum"));
      c.put("nesterov", n.get("nesterov"));
    }
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("module", "keras.optimizers");
    o.put("class_name", name.equals("adam") ? "Adam" : "SGD");
    o.put("config", c);
    o.put("registered_name", null);

    Object lossEntry = lossEntry(loss);
    if (lossEntry == null) {
      issues.add("loss " + loss.name() + " has no Keras equivalent");
      return null;
    }
    List<Object> metrics = new ArrayList<>();
    for (Metric m : model.metrics()) {
      if (!Set.of("accuracy", "sparse_categorical_accuracy", "categorical_accuracy", "binary_accuracy").contains(m.name())) {
        issues.add("metric " + m.name() + " has no Keras equivalent");
        return null;
      }
      metrics.add(m.name());
    }
    Map<String, Object> cc = new LinkedHashMap<>();
    cc.put("optimizer", o);
    cc.put("loss", lossEntry);
    cc.put("loss_weights", null);
    cc.put("metrics", metrics);
    cc.put("weighted_metrics", null);
    cc.put("run_eagerly", false);
    cc.put("steps_per_execution", 1);
    cc.put("jit_compile", false);
    return cc;
  }

  private static Object lossEntry(Loss loss) {
    boolean logits;
    String cls;
    if (loss instanceof SparseCategoricalCrossentropy) {
      logits = ((SparseCategoricalCrossentropy) loss).fromLogits();
      cls = "SparseCategoricalCrossentropy";
    } else if (loss instanceof CategoricalCrossentropy) {
      logits = ((CategoricalCrossentropy) loss).fromLogits();
      cls = "CategoricalCrossentropy";
    } else if (loss instanceof BinaryCrossentropy) {
      logits = ((BinaryCrossentropy) loss).fromLogits();
      cls = "BinaryCrossentropy";
    } else if (loss instanceof MeanSquaredError) {
      return "mean_squared_error";
    } else {
      return null;
    }
    if (!logits) {
      return loss.name();
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", loss.name());
    c.put("reduction", "sum_over_batch_size");
    c.put("from_logits", true);
    if (loss instanceof SparseCategoricalCrossentropy) {
      c.put("ignore_class", null);
    } else {
      c.put("label_smoothing", 0.0);
      c.put("axis", -1);
    }
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("module", "keras.losses");
    e.put("class_name", cls);
    e.put("config", c);
    e.put("registered_name", null);
    return e;
  }

  /** Keras' optimizer variables for {@code opt} (iterations, learning rate, slots), zeros where it has no state yet. */
  static List<Object> optimizerVariables(Sequential model) {
    Optimizer opt = model.optimizer();
    Map<String, Object> cfg = opt.config();
    List<Object> vars = new ArrayList<>();
    vars.add(opt.iterations());
    if (!(cfg.get("learning_rate") instanceof Map)) {
      vars.add(((Number) cfg.get("learning_rate")).floatValue());
    }
    List<String> slots = opt.name().equals("adam") ? new ArrayList<>(List.of("m", "v"))
        : ((Number) cfg.get("momentum")).doubleValue() > 0 ? List.of("velocity") : List.of();
    Map<String, Tensor> state = opt.state();
    List<Parameter> params = model.trainableParameters();
    for (Parameter p : params) {
      for (String s : slots) {
        Tensor t = state.get(p.name() + "/" + s);
        vars.add(t != null ? t : Tensor.zeros(p.shape()));
      }
    }
    if (opt.name().equals("adam") && Boolean.TRUE.equals(cfg.get("amsgrad"))) {
      for (Parameter p : params) {
        Tensor t = state.get(p.name() + "/vhat");
        vars.add(t != null ? t : Tensor.zeros(p.shape()));
      }
    }
    return vars;
  }
}
