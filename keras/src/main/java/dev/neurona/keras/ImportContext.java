package dev.neurona.keras;

import java.util.ArrayList;
import java.util.List;

/**
 * What one import collects besides the model: the file's name for messages, the reasons the
 * training configuration cannot be restored (regularizers, constraints, an optimizer Neurona lacks),
 * and warnings that do not change the model's function (an initializer Neurona lacks).
 */
final class ImportContext {
  final String file;
  final List<String> trainingIssues = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();

  ImportContext(String file) {
    this.file = file;
  }

  /** {@code file: layer 'conv2d' (Conv2D)}: how messages name a layer. */
  String layer(String name, String kerasClass) {
    return file + ": layer '" + name + "' (" + kerasClass + ")";
  }

  KerasFormatException malformed(String what) {
    return new KerasFormatException(file + ": " + what);
  }

  UnsupportedKerasModelException unsupported(String layerName, String kerasClass, String option, Object value, String why) {
    String where = layerName == null ? file + ": " + kerasClass : layer(layerName, kerasClass);
    String msg = option == null
        ? where + " is not supported by Neurona" + (why == null ? "" : ": " + why)
        : where + ": " + option + "=" + KerasJson.describe(value) + " is not supported by Neurona"
            + (why == null ? "" : " (" + why + ")");
    return new UnsupportedKerasModelException(msg, kerasClass, option);
  }
}
