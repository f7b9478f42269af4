#!/usr/bin/env python3
"""Keras fixtures for Neurona's keras module, and the check of files Neurona exports.

Needs TensorFlow 2.21 / Keras 3 (CPU); never run by the build or CI, which use the committed files.

  python keras_fixtures.py make [OUT_DIR]          writes the fixtures (default: ../resources/dev/neurona/keras/fixtures)
  python keras_fixtures.py check FILE.keras NAME   loads FILE (exported by Neurona) in Keras, predicts on fixture
                                                   NAME's inputs and compares with Keras' own outputs; then takes
                                                   one training step to show the compile config and optimizer load
  python keras_fixtures.py amsgrad [OUT_DIR]       writes the AMSGrad fixture only (see below)
  python keras_fixtures.py mnist DATA_DIR OUT_DIR  trains Keras' MNIST CNN (full size) for one epoch on the MNIST IDX
                                                   files in DATA_DIR, saves OUT_DIR/keras_mnist.keras and .h5, and
                                                   prints Keras' test accuracy (for ./neurona mnist --evaluate-model)

The tutorial networks (see /work/shared/anchors/bench_tf.py), trained a few steps on random data with a fixed seed:
  mnist99      TensorFlow's Deep MNIST CNN; Dense(1024) shrunk to Dense(8) to keep the file small; SGD(0.01)
  keras_mnist  Keras' MNIST CNN; Dense(128) shrunk to Dense(8); SGD(0.05); .keras, legacy .h5 and .weights.h5
  captcha      the captcha CNN; Dense(500) shrunk to Dense(8); SGD(0.01, momentum 0.9, nesterov); legacy .h5
  flowers      the flowers CNN as a functional chain: RandomFlip, RandomRotation, RandomZoom, Rescaling in front;
               24x24 inputs (not 180x180) and Dense(128) shrunk to Dense(16); Adam(1e-3), loss from logits
  misc         a small chain of the remaining layer kinds and options (strides, no bias, Activation, ReLU,
               Softmax, RandomTranslation, RandomContrast, pooling with padding "same"); SGD with momentum
Each NAME has NAME.inputs.npy (4 images) and NAME.outputs.npy (Keras' inference outputs on them).

  amsgrad      a small dense net (5 -> Dense 3 relu -> Dense 2 softmax) trained 3 steps with Adam(1e-2, amsgrad=True),
               saved as .keras; then Keras takes one more step on amsgrad.step_x/step_y.npy and writes its outputs on
               amsgrad.inputs.npy to amsgrad.after_step.npy: a loader that restores the velocity_hat slots reproduces them.
"""
import os, sys, json, warnings
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
import numpy as np
import keras
from keras import layers

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, '..', 'resources', 'dev', 'neurona', 'keras', 'fixtures')


def mnist99():
    return keras.Sequential([keras.Input((28, 28, 1)),
        layers.Conv2D(32, 5, padding='same', activation='relu'), layers.MaxPooling2D(),
        layers.Conv2D(64, 5, padding='same', activation='relu'), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dense(8, activation='relu'), layers.Dropout(0.5), layers.Dense(10, activation='softmax')])


def keras_mnist():
    return keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(32, 4, activation='relu'), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dense(8, activation='relu'), layers.Dense(10, activation='softmax')])


def captcha():
    return keras.Sequential([keras.Input((20, 20, 1)),
        layers.Conv2D(20, 5, padding='same', activation='relu'), layers.MaxPooling2D(2, 2),
        layers.Conv2D(50, 5, padding='same', activation='relu'), layers.MaxPooling2D(2, 2),
        layers.Flatten(), layers.Dense(8, activation='relu'), layers.Dense(32, activation='softmax')])


def flowers():
    x = inputs = keras.Input((24, 24, 3))
    for layer in [layers.RandomFlip('horizontal'), layers.RandomRotation(0.1), layers.RandomZoom(0.1),
                  layers.Rescaling(1. / 255),
                  layers.Conv2D(16, 3, padding='same', activation='relu'), layers.MaxPooling2D(),
                  layers.Conv2D(32, 3, padding='same', activation='relu'), layers.MaxPooling2D(),
                  layers.Conv2D(64, 3, padding='same', activation='relu'), layers.MaxPooling2D(),
                  layers.Dropout(0.2), layers.Flatten(), layers.Dense(16, activation='relu'), layers.Dense(5)]:
        x = layer(x)
    return keras.Model(inputs, x, name='flowers')


def misc():
    return keras.Sequential([keras.Input((9, 9, 3)),
        layers.RandomTranslation(0.1, (-0.2, 0.1), fill_mode='nearest'), layers.RandomContrast(0.2, value_range=(0, 1)),
        layers.Conv2D(4, (3, 2), strides=(2, 1), use_bias=False, activation='tanh', kernel_initializer='he_normal'),
        layers.Activation('sigmoid'), layers.ReLU(),
        layers.MaxPooling2D(3, strides=1, padding='same'), layers.Flatten(),
        layers.Dense(5, bias_initializer='ones'), layers.Softmax()], name='misc')


# name -> (model, input shape, classes, optimizer, loss, files)
FIXTURES = {
    'mnist99': (mnist99, (28, 28, 1), 10, lambda: keras.optimizers.SGD(0.01), 'sparse_categorical_crossentropy',
                ['keras']),
    'keras_mnist': (keras_mnist, (28, 28, 1), 10, lambda: keras.optimizers.SGD(0.05), 'sparse_categorical_crossentropy',
                    ['keras', 'h5', 'weights.h5']),
    'captcha': (captcha, (20, 20, 1), 32, lambda: keras.optimizers.SGD(0.01, momentum=0.9, nesterov=True),
                'sparse_categorical_crossentropy', ['h5']),
    'flowers': (flowers, (24, 24, 3), 5, lambda: keras.optimizers.Adam(1e-3),
                keras.losses.SparseCategoricalCrossentropy(from_logits=True), ['keras']),
    'misc': (misc, (9, 9, 3), 5, lambda: keras.optimizers.SGD(0.02, momentum=0.5), 'categorical_crossentropy',
             ['keras', 'h5']),
}


def data(name, shape, classes, n, seed):
    rng = np.random.default_rng(seed)
    x = rng.random((n,) + shape, dtype=np.float32)
    if name == 'flowers':
        x *= 255  # pixel values, as the flowers model rescales them
    y = rng.integers(0, classes, n)
    return x, y


def make(out):
    os.makedirs(out, exist_ok=True)
    for i, (name, (ctor, shape, classes, opt, loss, files)) in enumerate(FIXTURES.items()):
        keras.utils.set_random_seed(100 + i)
        model = ctor()
        model.compile(optimizer=opt(), loss=loss, metrics=['accuracy'])
        x, y = data(name, shape, classes, 16, 200 + i)
        if loss == 'categorical_crossentropy':
            y = keras.utils.to_categorical(y, classes)
        model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)  # two steps
        xs, _ = data(name, shape, classes, 4, 300 + i)
        np.save(os.path.join(out, name + '.inputs.npy'), xs)
        np.save(os.path.join(out, name + '.outputs.npy'), np.asarray(model(xs, training=False)))
        for kind in files:
            path = os.path.join(out, name + '.' + kind)
            if kind == 'weights.h5':
                model.save_weights(path)
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter('ignore')  # h5: "This file format is considered legacy"
                    model.save(path)
        print(name, 'params', model.count_params(), {k: os.path.getsize(os.path.join(out, name + '.' + k)) for k in files})
    total = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    print('total bytes', total)


def amsgrad(out):
    os.makedirs(out, exist_ok=True)
    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input((5,)), layers.Dense(3, activation='relu'), layers.Dense(2, activation='softmax')],
                             name='amsgrad')
    model.compile(optimizer=keras.optimizers.Adam(1e-2, amsgrad=True), loss='sparse_categorical_crossentropy')
    rng = np.random.default_rng(17)
    for _ in range(3):
        model.train_on_batch(rng.standard_normal((4, 5)).astype(np.float32), rng.integers(0, 2, 4))
    model.save(os.path.join(out, 'amsgrad.keras'))
    xs = rng.standard_normal((4, 5)).astype(np.float32)
    step_x = rng.standard_normal((4, 5)).astype(np.float32)
    step_y = rng.integers(0, 2, 4).astype(np.float32)
    np.save(os.path.join(out, 'amsgrad.inputs.npy'), xs)
    np.save(os.path.join(out, 'amsgrad.outputs.npy'), np.asarray(model(xs, training=False)))
    np.save(os.path.join(out, 'amsgrad.step_x.npy'), step_x)
    np.save(os.path.join(out, 'amsgrad.step_y.npy'), step_y)
    model.train_on_batch(step_x, step_y)
    np.save(os.path.join(out, 'amsgrad.after_step.npy'), np.asarray(model(xs, training=False)))
    print('amsgrad', {f: os.path.getsize(os.path.join(out, f)) for f in os.listdir(out) if f.startswith('amsgrad')})


def check(path, name, fixtures=DEFAULT_OUT):
    """Neurona -> .keras -> Keras: same predictions as Keras' own model, and a training step without warnings."""
    xs = np.load(os.path.join(fixtures, name + '.inputs.npy'))
    expected = np.load(os.path.join(fixtures, name + '.outputs.npy'))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        model = keras.saving.load_model(path)
        got = np.asarray(model(xs, training=False))
        rel = np.max(np.abs(got - expected) / np.maximum(np.abs(expected), 1e-6))
        print(f'{path}: {model.name}, {len(model.layers)} layers, {model.count_params()} parameters')
        print(f'  predictions vs Keras fixture {name}: max relative difference {rel:.3g}')
        ok = rel <= 1e-5
        if getattr(model, 'optimizer', None) is not None and model.compiled:
            print(f'  compiled: optimizer {model.optimizer.get_config()["name"]}, '
                  f'iterations {int(model.optimizer.iterations.numpy())}, loss {model.loss}')
            _, shape, classes, _, loss, _ = FIXTURES[name]
            x, y = data(name, shape, classes, 8, 1)
            if loss == 'categorical_crossentropy':
                y = keras.utils.to_categorical(y, classes)
            model.fit(x, y, batch_size=8, epochs=1, verbose=0)
            print(f'  one training step: iterations now {int(model.optimizer.iterations.numpy())}')
        else:
            print('  not compiled')
    bad = [str(w.message) for w in caught if 'Skipping' in str(w.message) or 'could not be' in str(w.message)]
    for b in bad:
        print('  WARNING from Keras:', b)
    print('  OK' if ok and not bad else '  FAILED')
    return 0 if ok and not bad else 1


def idx(path):
    import struct
    with open(path, 'rb') as f:
        magic, = struct.unpack('>I', f.read(4))
        dims = struct.unpack('>' + 'I' * (magic & 0xff), f.read(4 * (magic & 0xff)))
        return np.frombuffer(f.read(), np.uint8).reshape(dims)


def mnist(data, out):
    """Keras' MNIST CNN, one epoch of Adam(1e-3), batch 128, on the real data; the numbers to compare with Neurona."""
    xtr = idx(f'{data}/train-images-idx3-ubyte').astype(np.float32)[..., None] / 255
    ytr = idx(f'{data}/train-labels-idx1-ubyte')
    xte = idx(f'{data}/t10k-images-idx3-ubyte').astype(np.float32)[..., None] / 255
    yte = idx(f'{data}/t10k-labels-idx1-ubyte')
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(32, 4, activation='relu'), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dense(128, activation='relu'), layers.Dense(10, activation='softmax')])
    model.compile(keras.optimizers.Adam(1e-3), 'sparse_categorical_crossentropy', metrics=['accuracy'])
    model.fit(xtr, ytr, batch_size=128, epochs=1, verbose=2)
    loss, acc = model.evaluate(xte, yte, batch_size=128, verbose=0)
    correct = int(np.sum(np.argmax(model.predict(xte, batch_size=128, verbose=0), axis=1) == yte))
    os.makedirs(out, exist_ok=True)
    model.save(os.path.join(out, 'keras_mnist.keras'))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        model.save(os.path.join(out, 'keras_mnist.h5'))
    print(f'Keras evaluate: loss {loss:.4f}, accuracy {acc:.4f} ({correct}/{len(yte)})')


if __name__ == '__main__':
    if len(sys.argv) >= 2 and sys.argv[1] == 'make':
        make(sys.argv[2] if len(sys.argv) > 2 else DEFAULT_OUT)
    elif len(sys.argv) >= 2 and sys.argv[1] == 'amsgrad':
        amsgrad(sys.argv[2] if len(sys.argv) > 2 else DEFAULT_OUT)
    elif len(sys.argv) == 4 and sys.argv[1] == 'mnist':
        mnist(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == 'check':
        sys.exit(check(sys.argv[2], sys.argv[3]))
    else:
        print(__doc__)
        sys.exit(2)
