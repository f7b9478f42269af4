package dev.neurona.examples.captcha;

import dev.neurona.core.Tensor;
import dev.neurona.layers.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads whole captchas, as the tutorial's {@code solve_captchas_with_model.py}: cut the captcha into
 * letters with {@link LetterExtractor}, scale each to 20×20 with {@link LetterExtractor#resizeToFit},
 * classify them with the trained model and map the columns back to symbols with the
 * {@link LabelBinarizer}. A captcha that does not segment into exactly {@value CaptchaGenerator#LENGTH}
 * regions is not guessed.
 *
 * <p>Not thread-safe: the model's layers keep per-call buffers.
 */
public final class CaptchaSolver {
  /** File name of the saved model, in the example's output folder. */
  public static final String MODEL_FILE = "model.zip";
  /**
   * File name of the label binarizer that earlier versions of the example saved beside the model;
   * the model file now carries the symbols ({@code Sequential.classNames()}), and this file is read
   * only for a model without them.
   */
  public static final String LABELS_FILE = "labels.json";

  private final Sequential model;
  private final LabelBinarizer labels;
  private final LetterExtractor extractor = new LetterExtractor();

  /** A solver over a trained letter classifier whose output columns are {@code labels}' classes. */
  public CaptchaSolver(Sequential model, LabelBinarizer labels) {
    if (model.outputShape() == null || model.outputShape().rank() != 1 || model.outputShape().dim(0) != labels.size()) {
      throw new IllegalArgumentException("CaptchaSolver: the model's output shape " + model.outputShape() + " does not"
          + " match the " + labels.size() + " classes of " + labels);
    }
    this.model = model;
    this.labels = labels;
  }

  /**
   * Loads a saved letter classifier; its output columns' symbols are the model's class names, or,
   * for a model saved before they were kept inside, those of {@value #LABELS_FILE} beside it. The
   * error names what is missing.
   */
  public static CaptchaSolver load(Path modelFile) throws IOException {
    if (!Files.isRegularFile(modelFile)) {
      throw new IOException("no trained model: " + modelFile + " does not exist (run ./neurona captcha first, or point"
          + " --out or --model-file at what it wrote)");
    }
    Sequential model = Sequential.load(modelFile);
    if (!model.classNames().isEmpty()) {
      return new CaptchaSolver(model, LabelBinarizer.of(model.classNames()));
    }
    Path parent = modelFile.toAbsolutePath().getParent();
    Path labelsFile = parent == null ? Path.of(LABELS_FILE) : parent.resolve(LABELS_FILE);
    if (!Files.isRegularFile(labelsFile)) {
      throw new IOException("the model " + modelFile + " does not say which symbol each output is: it has no class names"
          + " and there is no " + labelsFile + " beside it (train it again with ./neurona captcha)");
    }
    return new CaptchaSolver(model, LabelBinarizer.load(labelsFile));
  }

  /** A solved captcha: the text read, or null when segmentation found {@code regions} ≠ 4 regions. */
  public record Result(String text, int regions) {
    /** Whether the captcha segmented into four letters (and so was read). */
    public boolean read() {
      return text != null;
    }
  }

  /** Reads one captcha. */
  public Result solve(GrayImage captcha) {
    return solveAll(List.of(captcha)).get(0);
  }

  /** Reads many captchas, classifying all their letters in one batched prediction. */
  public List<Result> solveAll(List<GrayImage> captchas) {
    int n = CaptchaGenerator.LENGTH;
    int size = CaptchaModels.SIZE;
    List<LetterExtractor.Segmentation> segs = new ArrayList<>(captchas.size());
    List<GrayImage> letters = new ArrayList<>();
    for (GrayImage c : captchas) {
      LetterExtractor.Segmentation s = extractor.segment(c);
      segs.add(s);
      if (s.has(n)) {
        for (GrayImage l : s.letters()) {
          letters.add(LetterExtractor.resizeToFit(l, size, size));
        }
      }
    }
    List<String> symbols = letters.isEmpty() ? List.of() : labels.inverseTransform(model.predict(toTensor(letters)));
    List<Result> out = new ArrayList<>(captchas.size());
    int next = 0;
    for (LetterExtractor.Segmentation s : segs) {
      if (s.has(n)) {
        out.add(new Result(String.join("", symbols.subList(next, next + n)), n));
        next += n;
      } else {
        out.add(new Result(null, s.boxes().size()));
      }
    }
    return out;
  }

  /** Letters of equal size as a batch {@code (n, h, w, 1)} scaled to [0, 1] ({@code level / 255}). */
  public static Tensor toTensor(List<GrayImage> letters) {
    int h = letters.get(0).height();
    int w = letters.get(0).width();
    Tensor x = Tensor.zeros(letters.size(), h, w, 1);
    float[] d = x.data();
    for (int i = 0; i < letters.size(); i++) {
      GrayImage g = letters.get(i);
      if (g.width() != w || g.height() != h) {
        throw new IllegalArgumentException("CaptchaSolver.toTensor: letter " + i + " is " + g + ", letter 0 is " + w + "×" + h);
      }
      int[] v = g.levels();
      for (int k = 0; k < v.length; k++) {
        d[i * v.length + k] = v[k] / 255f;
      }
    }
    return x;
  }
}
