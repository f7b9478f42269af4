/**
 * Breaking a captcha ({@code ./neurona captcha}), after Adam Geitgey's Keras tutorial: a generator of
 * Really-Simple-CAPTCHA-style images ({@link dev.neurona.examples.captcha.CaptchaGenerator}), the
 * tutorial's letter segmentation ({@link dev.neurona.examples.captcha.LetterExtractor}), a
 * scikit-learn-style {@link dev.neurona.examples.captcha.LabelBinarizer}, the two letter classifiers
 * ({@link dev.neurona.examples.captcha.CaptchaModels}), a solver for whole captchas
 * ({@link dev.neurona.examples.captcha.CaptchaSolver}) and the example program
 * ({@link dev.neurona.examples.captcha.CaptchaExample}).
 */
package dev.neurona.examples.captcha;
