package dev.neurona.examples.captcha;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts a captcha into its letters, the tutorial's OpenCV steps in plain Java:
 *
 * <ol>
 *   <li>grayscale (done by {@link GrayImage}) and an {@value #BORDER}-pixel replicated border
 *       ({@code copyMakeBorder(gray, 8, 8, 8, 8, BORDER_REPLICATE)});</li>
 *   <li>Otsu's threshold, inverted ({@code THRESH_BINARY_INV | THRESH_OTSU}): pixels at or below the
 *       threshold are ink;</li>
 *   <li>the bounding box of each outer blob of ink ({@code findContours(RETR_EXTERNAL)}): here the
 *       8-connected components of ink that touch the outside background — a blob inside another
 *       letter's hole has no external contour and is left out, as OpenCV does;</li>
 *   <li>a box more than {@value #SPLIT_RATIO} times wider than tall holds two joined letters and is
 *       split into two halves ({@code half = int(w / 2)});</li>
 *   <li>the boxes sorted left to right; each letter is cut from the bordered gray image with a
 *       {@value #MARGIN}-pixel margin ({@code gray[y-2:y+h+2, x-2:x+w+2]}).</li>
 * </ol>
 *
 * <p><b>Noise.</b> Like the tutorial, every outer blob counts as a region however small: a stray speck
 * makes a fifth region and the captcha is rejected rather than guessed. The WordPress captchas the
 * tutorial reads have no noise, so this costs nothing there and keeps the rule simple.
 *
 * <p>{@link #resizeToFit} is the tutorial's {@code resize_to_fit} helper that turns a letter into the
 * network's 20×20 input. The class is stateless and safe to share between threads.
 */
public final class LetterExtractor {
  /** Pixels of replicated border added around the captcha before thresholding. */
  public static final int BORDER = 8;
  /** Pixels of margin kept around each letter's box when it is cut out. */
  public static final int MARGIN = 2;
  /** A box wider than {@code SPLIT_RATIO × height} is taken for two joined letters. */
  public static final double SPLIT_RATIO = 1.25;

  /** A bounding box: left column, top row, width and height in pixels. */
  public record Box(int x, int y, int width, int height) {}

  /**
   * What {@link #segment} found: the bordered gray image, its Otsu threshold, and the letter boxes
   * (after splitting wide ones) in that image's coordinates, sorted left to right.
   */
  public record Segmentation(GrayImage padded, int threshold, List<Box> boxes) {
    /** Whether exactly {@code letters} regions were found. */
    public boolean has(int letters) {
      return boxes.size() == letters;
    }

    /** The letters cut out with the {@value #MARGIN}-pixel margin, left to right. */
    public List<GrayImage> letters() {
      List<GrayImage> out = new ArrayList<>(boxes.size());
      for (Box b : boxes) {
        out.add(padded.crop(b.x() - MARGIN, b.y() - MARGIN, b.width() + 2 * MARGIN, b.height() + 2 * MARGIN));
      }
      return out;
    }
  }

  /** Runs steps 1–5 on a captcha; the result holds however many regions were found. */
  public Segmentation segment(GrayImage captcha) {
    GrayImage padded = captcha.padReplicate(BORDER, BORDER, BORDER, BORDER);
    int t = otsuThreshold(padded);
    int w = padded.width();
    int h = padded.height();
    int[] level = padded.levels();
    boolean[] ink = new boolean[level.length];
    for (int i = 0; i < level.length; i++) {
      ink[i] = level[i] <= t; // THRESH_BINARY_INV: src > t → 0 (background), else 255 (ink)
    }
    List<Box> boxes = new ArrayList<>();
    for (Box b : outerBlobs(ink, w, h)) {
      if ((double) b.width() / b.height() > SPLIT_RATIO) {
        int half = b.width() / 2;
        boxes.add(new Box(b.x(), b.y(), half, b.height()));
        boxes.add(new Box(b.x() + half, b.y(), half, b.height()));
      } else {
        boxes.add(b);
      }
    }
    boxes.sort(Comparator.comparingInt(Box::x)); // stable: equal x keep the scan order
    return new Segmentation(padded, t, List.copyOf(boxes));
  }

  /**
   * The {@code expected} letters of a captcha, left to right, or null when the segmentation found a
   * different number of regions (the tutorial then skips the captcha).
   */
  public List<GrayImage> letters(GrayImage captcha, int expected) {
    Segmentation s = segment(captcha);
    return s.has(expected) ? s.letters() : null;
  }

  /**
   * Otsu's threshold as OpenCV computes it for 8-bit images ({@code getThreshVal_Otsu_8u}): the level
   * {@code t} that maximises the between-class variance {@code q1·q2·(μ1 − μ2)²} of the classes
   * {@code ≤ t} and {@code > t} (the first such level on ties). An image of one level gives 0.
   */
  public static int otsuThreshold(GrayImage img) {
    int[] hist = new int[256];
    for (int v : img.levels()) {
      hist[v]++;
    }
    double scale = 1.0 / ((double) img.width() * img.height());
    double mu = 0;
    for (int i = 0; i < 256; i++) {
      mu += i * (double) hist[i];
    }
    mu *= scale;
    double mu1 = 0;
    double q1 = 0;
    double maxSigma = 0;
    int maxVal = 0;
    final double eps = 1.1920928955078125e-7; // FLT_EPSILON, as OpenCV
    for (int i = 0; i < 256; i++) {
      double p = hist[i] * scale;
      mu1 *= q1;
      q1 += p;
      double q2 = 1 - q1;
      if (Math.min(q1, q2) < eps || Math.max(q1, q2) > 1 - eps) {
        continue;
      }
      mu1 = (mu1 + i * p) / q1;
      double mu2 = (mu - q1 * mu1) / q2;
      double sigma = q1 * q2 * (mu1 - mu2) * (mu1 - mu2);
      if (sigma > maxSigma) {
        maxSigma = sigma;
        maxVal = i;
      }
    }
    return maxVal;
  }

  /**
   * Bounding boxes of the 8-connected ink components that have an outer contour, in scan order (by
   * the top-left-most pixel). A component has one when it touches the image edge or a background
   * pixel 4-connected to the outside — the background of 8-connected ink is 4-connected.
   */
  static List<Box> outerBlobs(boolean[] ink, int w, int h) {
    // Background reachable from outside the image (4-connected flood from the edge).
    boolean[] outside = new boolean[ink.length];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int x = 0; x < w; x++) {
      seed(ink, outside, queue, x);
      seed(ink, outside, queue, (h - 1) * w + x);
    }
    for (int y = 0; y < h; y++) {
      seed(ink, outside, queue, y * w);
      seed(ink, outside, queue, y * w + w - 1);
    }
    while (!queue.isEmpty()) {
      int p = queue.poll();
      int x = p % w;
      int y = p / w;
      if (x > 0) {
        seed(ink, outside, queue, p - 1);
      }
      if (x < w - 1) {
        seed(ink, outside, queue, p + 1);
      }
      if (y > 0) {
        seed(ink, outside, queue, p - w);
      }
      if (y < h - 1) {
        seed(ink, outside, queue, p + w);
      }
    }
    // 8-connected ink components.
    int[] label = new int[ink.length];
    List<Box> boxes = new ArrayList<>();
    int next = 0;
    for (int start = 0; start < ink.length; start++) {
      if (!ink[start] || label[start] != 0) {
        continue;
      }
      next++;
      label[start] = next;
      queue.add(start);
      int minX = w;
      int minY = h;
      int maxX = -1;
      int maxY = -1;
      boolean outer = false;
      while (!queue.isEmpty()) {
        int p = queue.poll();
        int x = p % w;
        int y = p / w;
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
        if (x == 0 || y == 0 || x == w - 1 || y == h - 1
            || outside[p - 1] || outside[p + 1] || outside[p - w] || outside[p + w]) {
          outer = true;
        }
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int nx = x + dx;
            int ny = y + dy;
            if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
              continue;
            }
            int q = ny * w + nx;
            if (ink[q] && label[q] == 0) {
              label[q] = next;
              queue.add(q);
            }
          }
        }
      }
      if (outer) {
        boxes.add(new Box(minX, minY, maxX - minX + 1, maxY - minY + 1));
      }
    }
    return boxes;
  }

  private static void seed(boolean[] ink, boolean[] outside, ArrayDeque<Integer> queue, int p) {
    if (!ink[p] && !outside[p]) {
      outside[p] = true;
      queue.add(p);
    }
  }

  /**
   * The tutorial's {@code resize_to_fit(image, width, height)}: scales the image, keeping its aspect
   * ratio, so that its longer side fits (width {@code width} if it is wider than tall, else height
   * {@code height}; the other side {@code int(side · ratio)}), pads it evenly on both sides by
   * {@code int((target − size) / 2)} replicated border pixels, and resizes the result to exactly
   * {@code width × height} (which only changes it when the padding was odd).
   *
   * <p>Resampling: area averaging where an axis shrinks (OpenCV's {@code INTER_AREA}, which imutils
   * uses) and bilinear with pixel centres aligned where it grows ({@code INTER_LINEAR}); levels are
   * rounded to the nearest integer.
   */
  public static GrayImage resizeToFit(GrayImage image, int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("LetterExtractor.resizeToFit: target size must be positive, got " + width + "×" + height);
    }
    int w = image.width();
    int h = image.height();
    GrayImage scaled;
    if (w > h) {
      int nh = Math.max(1, (int) (h * ((double) width / w)));
      scaled = resize(image, width, nh);
    } else {
      int nw = Math.max(1, (int) (w * ((double) height / h)));
      scaled = resize(image, nw, height);
    }
    int padW = Math.max(0, (width - scaled.width()) / 2);
    int padH = Math.max(0, (height - scaled.height()) / 2);
    GrayImage padded = scaled.padReplicate(padH, padH, padW, padW);
    return resize(padded, width, height);
  }

  /** Resamples {@code src} to {@code nw × nh}: per axis, area averaging to shrink, bilinear to grow. */
  public static GrayImage resize(GrayImage src, int nw, int nh) {
    if (nw < 1 || nh < 1) {
      throw new IllegalArgumentException("LetterExtractor.resize: target size must be positive, got " + nw + "×" + nh);
    }
    if (nw == src.width() && nh == src.height()) {
      return src.crop(0, 0, nw, nh);
    }
    double[][] wx = weights(src.width(), nw);
    double[][] wy = weights(src.height(), nh);
    int[] level = src.levels();
    int sw = src.width();
    int sh = src.height();
    // Separable: rows first (sh × nw), then columns.
    double[] rows = new double[sh * nw];
    for (int sy = 0; sy < sh; sy++) {
      for (int x = 0; x < nw; x++) {
        double acc = 0;
        for (int sx = 0; sx < sw; sx++) {
          acc += wx[x][sx] * level[sy * sw + sx];
        }
        rows[sy * nw + x] = acc;
      }
    }
    GrayImage out = new GrayImage(nw, nh, 0);
    for (int y = 0; y < nh; y++) {
      for (int x = 0; x < nw; x++) {
        double acc = 0;
        for (int sy = 0; sy < sh; sy++) {
          acc += wy[y][sy] * rows[sy * nw + x];
        }
        out.set(x, y, (int) Math.max(0, Math.min(255, Math.round(acc))));
      }
    }
    return out;
  }

  /**
   * {@code weights[o][i]}: how much input sample {@code i} contributes to output sample {@code o}
   * along one axis (each row sums to 1). Shrinking: the share of input pixel i covered by output
   * pixel o's footprint {@code [o·s, (o+1)·s)}, {@code s = in/out}. Growing: linear interpolation at
   * {@code (o + 0.5)·s − 0.5}, clamped to the edge.
   */
  static double[][] weights(int in, int out) {
    double[][] wt = new double[out][in];
    double s = (double) in / out;
    for (int o = 0; o < out; o++) {
      if (out < in) {
        double lo = o * s;
        double hi = lo + s;
        for (int i = (int) Math.floor(lo); i < Math.min(in, (int) Math.ceil(hi)); i++) {
          double cover = Math.min(hi, i + 1) - Math.max(lo, i);
          if (cover > 0) {
            wt[o][i] = cover / s;
          }
        }
      } else {
        double c = Math.max(0, Math.min(in - 1, (o + 0.5) * s - 0.5));
        int i0 = (int) Math.floor(c);
        int i1 = Math.min(in - 1, i0 + 1);
        double f = c - i0;
        wt[o][i0] += 1 - f;
        wt[o][i1] += f;
      }
    }
    return wt;
  }
}
