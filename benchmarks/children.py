"""What each child process measures; each returns a dict, written as JSON for the parent (see runner.py).

Every measurement runs in its own fresh Python process, so imports, the BLAS kernel MXNet picks and the peak
memory belong to one configuration. The MLP runs (``data``, ``floor``, ``scratch-*``, ``gluon-*``) compare
gluonbook with the book's pipeline rebuilt from MXNet's parts; the others time this package against gluonbook
0.8.10's own functions in one process, alternately (ours, 0.8.10's, ours, ...), on the same data and seeds:

- ``rnn-loop``: the GRU section's ``train_and_predict_rnn`` (GRU from scratch, 256 hidden units, 35 steps,
  batch 32, consecutive sampling); ``ch7-loop``: the minibatch-SGD section's ``train_ch7``, batches of one;
- ``lenet``: the LeNet section (``train_ch5``, batch 256, lr 0.9), one epoch after a warm-up epoch, each package
  with its own ``load_data_fashion_mnist``;
- ``resized-input``: Fashion-MNIST resized to 96x96 in batches of 128, each batch read to the host and summed:
  ``load_data_fashion_mnist(128, resize=96)`` against 0.8.10's (a 4-worker ``DataLoader`` with a per-image
  ``Resize``), and MXNet's batched ``BilinearResize2D`` on this package's batches;
- ``alexnet-step`` and ``resnet-step``: one training step (batch 128) of the AlexNet section's network at 224x224
  and of the ResNet section's ResNet-18 at 96x96, hybridized and not (ResNet: also with 0.8.10's ``Residual``,
  which cannot be hybridized), with the compute floor of the same convolutions: the time of ``nd.Convolution``
  forward and backward alone on the shapes the step runs, and the FLOP count over it.

The last four run on ``--device`` (default ``auto``: the first GPU if MXNet sees one, else the CPU).
"""
import json
import statistics
import time

from .book import book_0810, book_train_ch3
from .work import BATCH_SIZE, LR, N_HIDDEN, PRODUCTS

# ---------------------------------------------------------------------------------------------------------------
# The models of the chapter, from gluonbook.models (built in the child process, after its imports)

def model(name, pipeline):
    """``(net, train_ch3 keyword arguments)``: the from-scratch MLP with ``gb.sgd``, or the Gluon MLP with a
    ``gluon.Trainer``: created as the book creates it for the book's pipeline, by ``models.sgd_trainer`` for
    gluonbook's (per-parameter SGD updates on the CPU)."""
    from gluonbook import models
    if name == 'scratch':
        net, params = models.scratch_mlp((N_HIDDEN,))
        return net, {'params': params, 'lr': LR}
    net = models.gluon_mlp((N_HIDDEN,))
    if pipeline == 'book':
        from mxnet import gluon
        return net, {'trainer': gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': LR})}
    return net, {'trainer': models.sgd_trainer(net, LR)}


# ---------------------------------------------------------------------------------------------------------------
# What each child process measures; each returns a dict, written as JSON for the parent

def child_train(name, pipeline, epochs, spawned):
    """Train one model with one pipeline; times from ``spawned``, the moment the parent started this process."""
    if pipeline == 'book':
        import gluonbook_compat  # noqa: I001 - the numpy names MXNet needs on numpy 2, but no kernel (see env_for)
        gluonbook_compat.prepare()
        import mxnet as mx  # first, as in the book: MXNet's OpenBLAS picks its kernel by itself
        import numpy as np
        from mxnet import gluon

        # After mxnet, gluonbook leaves the kernel alone; it only supplies the verified images, since MXNet's own
        # gluon.data.vision.FashionMNIST refuses Debian's copy (its gzip files differ from MXNet's sha1s). They are
        # held as that class holds them: an NDArray copy of the images, the labels as int32 numpy.
        from gluonbook import data
        from gluonbook_compat import openblas_core
        mx.random.seed(0)
        np.random.seed(0)  # gluon's DataLoader shuffles with numpy's generator
        start = time.time()
        to_tensor = gluon.data.vision.transforms.ToTensor()

        def dataset(train):
            images, labels = data.load_arrays(train)
            return gluon.data.ArrayDataset(mx.nd.array(images[..., None], dtype=images.dtype),
                                           labels.astype(np.int32)).transform_first(to_tensor)
        train_iter = gluon.data.DataLoader(dataset(True), BATCH_SIZE, shuffle=True, num_workers=4)
        test_iter = gluon.data.DataLoader(dataset(False), BATCH_SIZE, shuffle=False, num_workers=4)
        load_s = time.time() - start
        net, kwargs = model(name, pipeline)
        seconds, test_accs = book_train_ch3(net, train_iter, test_iter, gluon.loss.SoftmaxCrossEntropyLoss(),
                                            epochs, BATCH_SIZE, **kwargs)
    else:
        import gluonbook as gb  # noqa: I001 - first, as its users do: it picks MXNet's BLAS kernel
        from gluonbook_compat import openblas_core
        import mxnet as mx
        from mxnet import gluon
        mx.random.seed(0)
        start = time.time()
        train_iter, test_iter = gb.load_data_fashion_mnist(BATCH_SIZE)
        load_s = time.time() - start
        net, kwargs = model(name, pipeline)
        history = gb.train_ch3(net, train_iter, test_iter, gluon.loss.SoftmaxCrossEntropyLoss(), epochs,
                               BATCH_SIZE, progress=False, plot=False, **kwargs)
        if len(history) < epochs:
            raise RuntimeError(f'train_ch3 stopped after {len(history)} of {epochs} epochs')
        end_to_end_s = time.time() - spawned
        if 'trainer' in kwargs:
            def update():
                kwargs['trainer'].step(BATCH_SIZE)
        else:
            def update():
                gb.sgd(kwargs['params'], LR, BATCH_SIZE)
        network_s = model_alone(net, gluon.loss.SoftmaxCrossEntropyLoss(), train_iter, test_iter, update)
        return {'end_to_end_s': end_to_end_s, 'load_s': load_s, 'epoch_s': history.seconds,
                'test_acc': history.test_acc[-1], 'kernel': openblas_core(), 'network_epoch_s': network_s}
    return {'end_to_end_s': time.time() - spawned, 'load_s': load_s, 'epoch_s': seconds,
            'test_acc': test_accs[-1], 'kernel': openblas_core()}


def model_alone(net, loss, train_iter, test_iter, update, kept=4, rounds=3):
    """Seconds of the least an epoch can cost (the fastest of ``rounds``): the model's forward, loss, backward
    and ``update()`` (a trainer's step, or ``gb.sgd``) for as many training batches as ``train_iter`` has,
    and its forward for as many test batches, on ``kept`` batches already in memory, used in turn (so that
    memory stays as in training); nothing else: no reading of batches, no loss or accuracy kept."""
    import itertools

    from mxnet import autograd, nd
    train = list(itertools.islice(train_iter, kept))
    test = list(itertools.islice(test_iter, kept))
    times = []
    for _ in range(rounds):
        nd.waitall()
        start = time.perf_counter()
        for X, y in itertools.islice(itertools.cycle(train), len(train_iter)):
            with autograd.record():
                l = loss(net(X), y)
            l.backward()
            update()
        for X, _ in itertools.islice(itertools.cycle(test), len(test_iter)):
            net(X)
        nd.waitall()
        times.append(time.perf_counter() - start)
    return min(times)


def child_data(epochs, spawned):
    """Import gluonbook, then call ``load_data_fashion_mnist`` twice, timing each call until MXNet is done."""
    start = time.time()
    import gluonbook as gb  # noqa: I001 - before mxnet, as its users do
    from mxnet import nd
    import_s = time.time() - start
    times = []
    for _ in range(2):
        start = time.time()
        train_iter, test_iter = gb.load_data_fashion_mnist(BATCH_SIZE)
        nd.waitall()
        times.append(time.time() - start)
    if (len(train_iter), len(test_iter)) != (235, 40):
        raise RuntimeError(f'expected 235 and 40 batches, got {len(train_iter)} and {len(test_iter)}')
    return {'import_s': import_s, 'first_s': times[0], 'warm_s': times[1]}


def child_floor(epochs, spawned):
    """Seconds per call of each epoch's product shape, for ``nd.dot``, ``nd.FullyConnected`` and numpy ``@``."""
    import gluonbook  # noqa: I001 - first, as its users do: it picks MXNet's BLAS kernel
    from gluonbook_compat import openblas_core
    from mxnet import nd
    import numpy as np

    def best_seconds(call, wait, calls, repeats):
        wait(call())  # warm up: allocation, thread pools, first-call dispatch
        best = float('inf')
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(calls):
                out = call()
            wait(out)
            best = min(best, (time.perf_counter() - start) / calls)
        return best

    def product_seconds(m, k, n, repeats):
        a = np.random.uniform(size=(m, k)).astype(np.float32)
        b = np.random.uniform(size=(k, n)).astype(np.float32)
        A, B, Bt = nd.array(a), nd.array(b), nd.array(b.T.copy())  # FullyConnected takes the weight as (n, k)
        calls = max(5, int(2e9 / (2 * m * k * n)))  # about 2 GFLOP per repeat
        return {
            'nd.dot': best_seconds(lambda: nd.dot(A, B), lambda out: out.wait_to_read(), calls, repeats),
            'nd.FullyConnected': best_seconds(lambda: nd.FullyConnected(A, Bt, no_bias=True, num_hidden=n),
                                              lambda out: out.wait_to_read(), calls, repeats),
            'numpy @': best_seconds(lambda: a @ b, lambda out: None, calls, repeats),
        }

    paths = {}
    for (m, k, n), _ in PRODUCTS:
        for path, seconds in product_seconds(m, k, n, 3 if epochs < 10 else 7).items():
            paths.setdefault(path, {})[f'{m}x{k} by {k}x{n}'] = seconds
    return {'seconds_per_call': paths, 'kernel': openblas_core(), 'gluonbook': gluonbook.__version__}


def alternate(calls, rounds):
    """Time each of ``calls`` (name -> function returning a result) ``rounds`` times, alternating; returns the
    seconds of every round and the last result of each."""
    from mxnet import nd
    seconds, results = {name: [] for name in calls}, {}
    for _ in range(rounds):
        for name, call in calls.items():
            nd.waitall()
            start = time.perf_counter()
            results[name] = call()
            nd.waitall()
            seconds[name].append(time.perf_counter() - start)
    return seconds, results


def child_rnn_loop(epochs, spawned):
    """The GRU section's train_and_predict_rnn, this package's against gluonbook 0.8.10's."""
    import contextlib
    import io
    import random
    import re

    import mxnet as mx
    from mxnet import nd

    import gluonbook as gb
    book = book_0810()
    corpus_indices, char_to_idx, idx_to_char, vocab_size = gb.load_data_time_machine()
    num_hiddens, ctx = 256, mx.cpu()

    def get_params():
        def _one(shape):
            return nd.random.normal(scale=0.01, shape=shape, ctx=ctx)

        def _three():
            return _one((vocab_size, num_hiddens)), _one((num_hiddens, num_hiddens)), nd.zeros(num_hiddens, ctx=ctx)
        params = [*_three(), *_three(), *_three(), _one((num_hiddens, vocab_size)), nd.zeros(vocab_size, ctx=ctx)]
        for param in params:
            param.attach_grad()
        return params

    def init_gru_state(batch_size, num_hiddens, ctx):
        return (nd.zeros(shape=(batch_size, num_hiddens), ctx=ctx),)

    def gru(inputs, state, params):
        W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q = params
        H, = state
        outputs = []
        for X in inputs:
            Z = nd.sigmoid(nd.dot(X, W_xz) + nd.dot(H, W_hz) + b_z)
            R = nd.sigmoid(nd.dot(X, W_xr) + nd.dot(H, W_hr) + b_r)
            H_tilda = nd.tanh(nd.dot(X, W_xh) + R * nd.dot(H, W_hh) + b_h)
            H = Z * H + (1 - Z) * H_tilda
            outputs.append(nd.dot(H, W_hq) + b_q)
        return outputs, (H,)

    def train(module):
        def call():
            mx.random.seed(1)
            random.seed(1)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                module.train_and_predict_rnn(gru, get_params, init_gru_state, num_hiddens, vocab_size, ctx,
                                             corpus_indices, idx_to_char, char_to_idx, False, epochs, 35, 1e2, 1e-2,
                                             32, epochs, 50, ['traveller'])
            return float(re.search(r'perplexity ([\d.]+)', out.getvalue()).group(1))
        return call
    def gru_alone():  # the reader's part: the GRU's forward and backward on the same batches, nothing else
        params = get_params()
        for _ in range(epochs):
            state = init_gru_state(32, num_hiddens, ctx)
            for X, _ in gb.data_iter_consecutive(corpus_indices, 32, 35, ctx):
                inputs = gb.to_onehot(X, vocab_size)
                with mx.autograd.record():
                    outputs, state = gru(inputs, [s.detach() for s in state], params)
                    l = nd.concat(*outputs, dim=0).sum()
                l.backward()
    seconds, perplexity = alternate({'gluonbook': train(gb), 'gluonbook-0.8.10': train(book)}, 3)
    alone, _ = alternate({'model': gru_alone}, 1)
    return {'seconds': seconds, 'perplexity': perplexity, 'what': f'GRU from scratch, {epochs} epochs',
            'floor': {'value': alone['model'][0], 'what': "the GRU's forward and backward alone"}}


def child_ch7_loop(epochs, spawned):
    """The minibatch-SGD section's train_ch7 with batches of one example, this package's against 0.8.10's."""
    import contextlib
    import io

    import mxnet as mx

    import gluonbook as gb
    from gluonbook.optimization import _LinregLoss
    book = book_0810()
    features, labels = gb.get_data_ch7()

    def sgd(params, states, hyperparams):
        for p in params:
            p[:] -= hyperparams['lr'] * p.grad

    def train(module):
        def call():
            mx.random.seed(1)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                module.train_ch7(sgd, None, {'lr': 0.005}, features, labels, 1, 2)
            gb.plt.close('all')
            return float(out.getvalue().split()[1].rstrip(','))
        return call
    def steps_alone():  # what no loop can remove: per example, the chapter's sgd and one autograd forward and
        # backward of the model and loss as one graph (MXNet's least for a gradient), on examples sliced beforehand
        w, b = mx.nd.random.normal(scale=0.01, shape=(5, 1)), mx.nd.zeros(1)
        w.attach_grad()
        b.attach_grad()
        graph = _LinregLoss()
        graph.hybridize()
        examples = [(features[i:i + 1], labels[i:i + 1]) for i in range(len(features))]
        with mx.engine.bulk(gb.optimization.BULK_SIZE):  # the engine's grouping, as train_ch7 runs the steps
            for X, y in examples + examples:
                with mx.autograd.record():
                    l = graph(X, y, w, b)
                l.backward()
                sgd([w, b], None, {'lr': 0.005})
    seconds, loss = alternate({'gluonbook': train(gb), 'gluonbook-0.8.10': train(book)}, 3)
    alone, _ = alternate({'steps': steps_alone}, 3)
    return {'seconds': seconds, 'loss': loss, 'what': 'train_ch7, batch 1, 2 epochs (3000 updates)',
            'floor': {'value': min(alone['steps']),
                      'what': "3000 steps alone: the chapter's sgd and one forward and backward of the graph"}}


def device_context(device):
    """The context ``--device`` names: ``auto`` (the first GPU if MXNet sees one, else the CPU), ``cpu``, ``gpu``,
    ``cpu:1``, ``gpu:0``, ..."""
    import mxnet as mx
    if device == 'auto':
        return mx.gpu(0) if mx.context.num_gpus() > 0 else mx.cpu()
    kind, _, number = device.partition(':')
    if kind not in ('cpu', 'gpu') or not (number or '0').isdigit():
        raise ValueError(f'--device {device}: give auto, cpu, gpu, or one of them with a number, e.g. gpu:1')
    return mx.Context(kind, int(number or 0))


def lenet(kind='Sequential'):
    """The LeNet section's network (sigmoid activations), uninitialised: an ``nn.Sequential`` as in the book, or
    of another ``kind`` (``'HybridSequential'``)."""
    from mxnet.gluon import nn
    net = getattr(nn, kind)()
    net.add(nn.Conv2D(channels=6, kernel_size=5, activation='sigmoid'), nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(channels=16, kernel_size=5, activation='sigmoid'), nn.MaxPool2D(pool_size=2, strides=2),
            nn.Dense(120, activation='sigmoid'), nn.Dense(84, activation='sigmoid'), nn.Dense(10))
    return net


def child_lenet(epochs, spawned, device='auto', rounds=3):
    """The LeNet section: ``train_ch5`` for one epoch at a time (the first round warms up), each package with its
    own ``load_data_fashion_mnist(256)``, alternately; the seconds of rounds 2.. count."""
    import contextlib
    import io
    import re

    import mxnet as mx
    from mxnet import gluon, init

    import gluonbook as gb
    book = book_0810()
    ctx = device_context(device)

    def setup(module):
        mx.random.seed(0)
        train_iter, test_iter = module.load_data_fashion_mnist(256)
        net = lenet()
        net.initialize(ctx=ctx, init=init.Xavier())
        trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.9})

        def call():
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                module.train_ch5(net, train_iter, test_iter, 256, trainer, ctx, 1)
            return float(re.findall(r'test acc ([\d.]+)', out.getvalue())[-1])
        return call
    seconds, acc = alternate({'gluonbook': setup(gb), 'gluonbook-0.8.10': setup(book)}, rounds)

    def network_alone():  # what no loop can remove: the hybridized network's work, and the reader's trainer
        mx.random.seed(0)
        train_iter, test_iter = gb.load_data_fashion_mnist(256, ctx=ctx)
        net = lenet('HybridSequential')
        net.initialize(ctx=ctx, init=init.Xavier())
        net.hybridize()
        trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.9})
        return model_alone(net, gluon.loss.SoftmaxCrossEntropyLoss(), train_iter, test_iter,
                           lambda: trainer.step(256), rounds=rounds)
    return {'seconds': {k: v[1:] for k, v in seconds.items()}, 'test_acc': acc, 'device': str(ctx),
            'what': 'LeNet, train_ch5, one epoch after a warm-up epoch',
            'floor': {'value': network_alone(), 'what': "the hybridized network's forward, loss, backward and "
                      "the reader's trainer alone, on batches in memory, with the test set's forward"}}


def child_resized_input(epochs, spawned, device='auto', batches=60, rounds=3):
    """Milliseconds per batch of Fashion-MNIST resized to 96x96, batches of 128, each read to the host and summed:
    this package's loader, 0.8.10's, and this package's batches resized by MXNet's ``BilinearResize2D``."""
    from mxnet import nd

    import gluonbook as gb
    book = book_0810()
    ctx = device_context(device)
    ours, _ = gb.load_data_fashion_mnist(128, resize=96, ctx=ctx)
    theirs, _ = book.load_data_fashion_mnist(128, resize=96)
    plain, _ = gb.load_data_fashion_mnist(128, ctx=ctx)

    def read(loader, resize=False):
        def call():
            total, start = 0.0, None
            for i, (X, _) in enumerate(loader):
                if i == 5:  # the first batches warm up (0.8.10: its workers start)
                    start = time.perf_counter()
                if i == 5 + batches:
                    break
                X = X.as_in_context(ctx)
                if resize:
                    X = nd.contrib.BilinearResize2D(X, height=96, width=96)
                if X.shape[-2:] != (96, 96):
                    raise RuntimeError(f'expected 96x96 batches, got {X.shape}')
                total += float(X.asnumpy().sum())
            return 1000 * (time.perf_counter() - start) / batches, total
        return call
    ready = next(iter(ours))[0]

    def read_ready():  # the consumer alone: a batch already in memory, read to the host and summed
        start = time.perf_counter()
        for _ in range(batches):
            float(ready.asnumpy().sum())
        return 1000 * (time.perf_counter() - start) / batches, None
    unresized = next(iter(plain))[0] * 255  # the pixels the loader resizes, as float32

    def products_only():  # the interpolation alone: the two matrix products of gluonbook/resize.py
        start = time.perf_counter()
        for _ in range(batches):
            gb.resize.bilinear(unresized, 96, 96, scale=1 / 255).wait_to_read()
        return 1000 * (time.perf_counter() - start) / batches, None
    calls = {'gluonbook': read(ours), 'gluonbook-0.8.10': read(theirs), 'BilinearResize2D': read(plain, True),
             'read and sum only': read_ready, 'products only': products_only}
    ms = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            ms[name].append(call()[0])
    return {'ms_per_batch': ms, 'device': str(ctx),
            'what': f'96x96 batches of 128, read and summed ({batches} batches)',
            'floor': {'value': min(ms['products only']),
                      'what': 'the two interpolation products alone (the reading can run beside them)'}}


def alexnet():
    """The AlexNet section's network (for 1x224x224 images, 10 classes), uninitialised."""
    from mxnet.gluon import nn
    net = nn.Sequential()
    net.add(nn.Conv2D(96, kernel_size=11, strides=4, activation='relu'), nn.MaxPool2D(pool_size=3, strides=2),
            nn.Conv2D(256, kernel_size=5, padding=2, activation='relu'), nn.MaxPool2D(pool_size=3, strides=2),
            nn.Conv2D(384, kernel_size=3, padding=1, activation='relu'),
            nn.Conv2D(384, kernel_size=3, padding=1, activation='relu'),
            nn.Conv2D(256, kernel_size=3, padding=1, activation='relu'), nn.MaxPool2D(pool_size=3, strides=2),
            nn.Dense(4096, activation='relu'), nn.Dropout(0.5), nn.Dense(4096, activation='relu'), nn.Dropout(0.5),
            nn.Dense(10))
    return net


def resnet(residual):
    """The ResNet section's ResNet-18 (7x7 first convolution, max-pooling) built of ``residual`` blocks."""
    from mxnet.gluon import nn

    from gluonbook.convnets import resnet_block
    net = nn.Sequential()
    net.add(nn.Conv2D(64, kernel_size=7, strides=2, padding=3), nn.BatchNorm(), nn.Activation('relu'),
            nn.MaxPool2D(pool_size=3, strides=2, padding=1))
    net.add(*(resnet_block(channels, 2, first_block=channels == 64, residual=residual)
              for channels in (64, 128, 256, 512)))
    net.add(nn.GlobalAvgPool2D(), nn.Dense(10))
    return net


def convolutions(net, X):
    """The convolutions one forward pass of ``net`` on ``X`` runs: ``(input shape, Convolution arguments)``."""
    from mxnet.gluon import nn
    found = []

    def hook(block, inputs, output):
        found.append((inputs[0].shape, dict(block._kwargs)))
    handles = []

    def register(block):
        if isinstance(block, nn.Conv2D):
            handles.append(block.register_forward_hook(hook))
    net.apply(register)
    net(X).wait_to_read()
    for handle in handles:
        handle.detach()
    return found


def conv_flop(shape, kwargs, first):
    """FLOP of one convolution forward and backward: the weight gradient always, the input gradient except for
    the first layer (the images need none)."""
    n, c, h, w = shape
    (kh, kw), (sh, sw), (ph, pw) = kwargs['kernel'], kwargs['stride'], kwargs['pad']
    out_h, out_w = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
    forward = 2 * n * kwargs['num_filter'] * out_h * out_w * c // kwargs['num_group'] * kh * kw
    return forward * (2 if first else 3)


def conv_floor(convs, ctx, repeats=3):
    """Seconds of ``nd.Convolution`` forward and backward alone on ``convs``' shapes (best of ``repeats``)."""
    from mxnet import autograd, nd
    arrays = []
    for i, (shape, kwargs) in enumerate(convs):
        X = nd.random.uniform(shape=shape, ctx=ctx)
        W = nd.random.normal(scale=0.01, shape=(kwargs['num_filter'], shape[1] // kwargs['num_group'])
                             + tuple(kwargs['kernel']), ctx=ctx)
        b = nd.zeros(kwargs['num_filter'], ctx=ctx)
        for a in ([W, b] if i == 0 else [X, W, b]):
            a.attach_grad()
        arrays.append((X, W, b, kwargs))
    best = float('inf')
    for _ in range(repeats + 1):  # the first round warms up
        nd.waitall()
        start = time.perf_counter()
        for X, W, b, kwargs in arrays:
            with autograd.record():
                Y = nd.Convolution(X, W, b, **{k: v for k, v in kwargs.items() if k != 'act_type'})
            Y.backward()
        nd.waitall()
        best = min(best, time.perf_counter() - start)
    return best


def step_seconds(net, X, y, ctx, steps):
    """Seconds per training step (forward, backward, SGD update), after one warm-up step."""
    from mxnet import autograd, gluon, nd
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.01})
    times = []
    for _ in range(steps + 1):
        nd.waitall()
        start = time.perf_counter()
        with autograd.record():
            l = loss(net(X), y)
        l.backward()
        trainer.step(X.shape[0])
        nd.waitall()
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def child_convnet(which, device='auto', batch=128, steps=2):
    """One training step of the AlexNet or the ResNet section's network, in every variant, and the floor."""
    import mxnet as mx
    from mxnet import init, nd

    import gluonbook as gb
    ctx = device_context(device)
    size = 224 if which == 'alexnet' else 96
    X = nd.random.uniform(shape=(batch, 1, size, size), ctx=ctx)
    y = nd.array([i % 10 for i in range(batch)], ctx=ctx)
    variants = {'alexnet': {'hybridized': (alexnet, True), 'imperative': (alexnet, False)},
                'resnet': {'hybridized': (lambda: resnet(gb.Residual), True),
                           'imperative': (lambda: resnet(gb.Residual), False),
                           '0.8.10': (lambda: resnet(book_0810().Residual), False)}}[which]
    seconds, convs = {}, None
    for name, (build, hybridize) in variants.items():
        mx.random.seed(0)
        net = build()
        net.initialize(init.Xavier(), ctx=ctx)
        if convs is None:
            convs = convolutions(net, X[:2])
            convs = [((batch,) + shape[1:], kwargs) for shape, kwargs in convs]
        if hybridize:
            net.hybridize()
        seconds[name] = step_seconds(net, X, y, ctx, steps)
    flop = sum(conv_flop(shape, kwargs, i == 0) for i, (shape, kwargs) in enumerate(convs))
    what = f"{'AlexNet' if which == 'alexnet' else 'ResNet-18'} step, batch {batch}, {size}x{size}"
    return {'step_s': seconds, 'conv_flop': flop, 'floor_s': conv_floor(convs, ctx), 'device': str(ctx),
            'what': what}


CHILDREN = {'data': child_data, 'floor': child_floor, 'rnn-loop': child_rnn_loop, 'ch7-loop': child_ch7_loop}
ON_DEVICE = {'lenet': child_lenet, 'resized-input': child_resized_input,
             'alexnet-step': lambda epochs, spawned, device: child_convnet('alexnet', device),
             'resnet-step': lambda epochs, spawned, device: child_convnet('resnet', device)}


def child_main(args):
    """Run one measurement in this (fresh) process and write its result as JSON to ``args.result``."""
    if args.child in CHILDREN:
        result = CHILDREN[args.child](args.epochs, args.spawned)
    elif args.child in ON_DEVICE:
        result = ON_DEVICE[args.child](args.epochs, args.spawned, args.device)
    elif args.child in ('scratch-book', 'scratch-gluonbook', 'gluon-book', 'gluon-gluonbook'):
        name, pipeline = args.child.split('-')
        result = child_train(name, pipeline, args.epochs, args.spawned)
    else:
        raise ValueError(f'no measurement named {args.child!r}')
    with open(args.result, 'w') as f:
        json.dump(result, f)
