package dev.neurona.keras;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurona.core.Parameter;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Adam;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras 2's whole-model {@code .h5} (tf.keras 2.x): the same structure as Keras 3's legacy saver with
 * Keras 2's spellings — {@code batch_input_shape}, initializers without a module, weight names
 * {@code conv2d/kernel:0}, metrics wrapped per output. No Keras 2 is installed here, so the file is
 * written as Keras 2.13 writes it, from its documented layout.
 */
class Keras2LayoutTest {
  @TempDir
  Path dir;

  private static final String MODEL_CONFIG = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"sequential\", \"layers\": ["
      + "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 5, 5, 2], \"dtype\": \"float32\","
      + " \"sparse\": false, \"ragged\": false, \"name\": \"conv2d_input\"}},"
      + " {\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv2d\", \"trainable\": true, \"dtype\": \"float32\","
      + " \"filters\": 3, \"kernel_size\": [3, 3], \"strides\": [1, 1], \"padding\": \"same\", \"data_format\": \"channels_last\","
      + " \"dilation_rate\": [1, 1], \"groups\": 1, \"activation\": \"relu\", \"use_bias\": true, \"kernel_initializer\":"
      + " {\"class_name\": \"GlorotUniform\", \"config\": {\"seed\": null}}, \"bias_initializer\": {\"class_name\": \"Zeros\","
      + " \"config\": {}}, \"kernel_regularizer\": null, \"bias_regularizer\": null, \"activity_regularizer\": null,"
      + " \"kernel_constraint\": null, \"bias_constraint\": null}},"
      + " {\"class_name\": \"Flatten\", \"config\": {\"name\": \"flatten\", \"trainable\": true, \"dtype\": \"float32\","
      + " \"data_format\": \"channels_last\"}},"
      + " {\"class_name\": \"Dense\", \"config\": {\"name\": \"dense\", \"trainable\": true, \"dtype\": \"float32\", \"units\": 4,"
      + " \"activation\": \"softmax\", \"use_bias\": true, \"kernel_initializer\": {\"class_name\": \"GlorotUniform\","
      + " \"config\": {\"seed\": null}}, \"bias_initializer\": {\"class_name\": \"Zeros\", \"config\": {}},"
      + " \"kernel_regularizer\": null, \"bias_regularizer\": null, \"activity_regularizer\": null,"
      + " \"kernel_constraint\": null, \"bias_constraint\": null}}]}}";

  private static final String TRAINING_CONFIG = "{\"loss\": \"sparse_categorical_crossentropy\", \"metrics\": [[{\"class_name\":"
      + " \"MeanMetricWrapper\", \"config\": {\"name\": \"accuracy\", \"dtype\": \"float32\", \"fn\":"
      + " \"sparse_categorical_accuracy\"}}]], \"weighted_metrics\": null, \"loss_weights\": null, \"optimizer_config\":"
      + " {\"class_name\": \"Adam\", \"config\": {\"name\": \"Adam\", \"weight_decay\": null, \"clipnorm\": null,"
      + " \"global_clipnorm\": null, \"clipvalue\": null, \"use_ema\": false, \"ema_momentum\": 0.99,"
      + " \"ema_overwrite_frequency\": null, \"jit_compile\": true, \"is_legacy_optimizer\": false, \"learning_rate\":"
      + " 0.0020000000949949026, \"beta_1\": 0.9, \"beta_2\": 0.999, \"epsilon\": 1e-07, \"amsgrad\": false}}}";

  @Test
  void keras2WholeModelFileLoads() throws Exception {
    Sequential reference = new Sequential(3).input(5, 5, 2).add(new Conv2D(3, 3, "same", "relu")).add(new Flatten())
        .add(new Dense(4, "softmax"));
    Path file = dir.resolve("keras2.h5");
    try (WritableHdfFile h5 = HdfFile.write(file)) {
      h5.putAttribute("keras_version", "2.13.1");
      h5.putAttribute("backend", "tensorflow");
      h5.putAttribute("model_config", MODEL_CONFIG);
      h5.putAttribute("training_config", TRAINING_CONFIG);
      WritableGroup weights = h5.putGroup("model_weights");
      weights.putAttribute("layer_names", new String[] {"conv2d", "flatten", "dense"});
      weights.putAttribute("backend", "tensorflow");
      weights.putAttribute("keras_version", "2.13.1");
      for (String layer : List.of("conv2d", "dense")) {
        List<Parameter> ps = reference.layer(layer).parameters();
        WritableGroup g = weights.putGroup(layer);
        g.putAttribute("weight_names", new String[] {layer + "/kernel:0", layer + "/bias:0"});
        WritableGroup inner = g.putGroup(layer);
        inner.putDataset("kernel:0", Hdf5.nested(ps.get(0).value()));
        inner.putDataset("bias:0", Hdf5.nested(ps.get(1).value()));
      }
      // No group for flatten: jHDF 0.9.2 cannot write an empty group last (see Hdf5.Writer); Keras 2 writes one.
    }
    Sequential model = KerasModels.load(file);
    KerasExportTest.assertSame(reference, model);
    Tensor x = Tensor.zeros(2, 5, 5, 2);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = (float) Math.cos(i);
    }
    assertThat(model.predict(x).data()).isEqualTo(reference.predict(x).data());
    assertThat(model.optimizer()).isInstanceOf(Adam.class);
    assertThat(model.optimizer().learningRate()).isEqualTo(0.002f);
    assertThat(model.metrics()).extracting(m -> m.name()).containsExactly("accuracy");
  }
}
