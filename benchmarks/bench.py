"""The speed table: gluonbook against the book's own pipeline, on the MLP of the from-scratch chapter.

    python benchmarks/bench.py [--epochs 10] [--quick] [--only NAME,...] [--out results.json]

Every measurement runs in its own fresh Python process, so imports, the BLAS kernel MXNet picks and the peak
memory belong to one configuration. The runs, in order:

- ``data``: ``gb.load_data_fashion_mnist(256)``, first and second call in a fresh process, then the first call
  in a second fresh process (the files are now in the OS cache);
- ``floor``: what the machine's matrix products can do on the chapter's shapes (``nd.dot``,
  ``nd.FullyConnected``, numpy ``@``), in a process that imports gluonbook first, as its users do;
- ``scratch-*`` and ``gluon-*``: the from-scratch MLP and the Gluon MLP, 10 epochs, each fed by gluonbook
  (``gb.load_data_fashion_mnist`` + ``gb.train_ch3``) and by the book's pipeline (MXNet's ``DataLoader`` with a
  per-image ``ToTensor`` and 4 workers, driven by the book's ``train_ch3``, MXNet imported as the book had it).

- ``rnn-loop`` and ``ch7-loop``: two of the book's later training loops, each timed against gluonbook 0.8.10's own
  function in the same process, alternately (ours, the book's, ours, ...), on the same data and seeds: the GRU
  section's ``train_and_predict_rnn`` (the from-scratch GRU, 256 hidden units, 35 steps, batch 32, consecutive
  sampling) and the minibatch-SGD section's ``train_ch7`` with batches of one example (3000 updates).
  gluonbook 0.8.10 is fetched with ``pip download --no-deps gluonbook==0.8.10`` into a scratch folder (or taken
  from ``$GLUONBOOK_0810``, a folder holding its ``utils.py``) and loaded under another module name, so it
  never shadows this package.

This parent process imports neither MXNet nor gluonbook, so it changes nothing in its children's environment.
The machine may be shared: compare the ratios measured in one run, not absolute times across runs.
"""
import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BATCH_SIZE, LR = 256, 0.5
N_TRAIN, N_TEST, N_IN, N_HIDDEN, N_OUT = 60000, 10000, 784, 256, 10
# One epoch, counted from the shapes: forward and backward over the training set, forward over the test set.
# Forward is one product per layer, 2*n*(784*256 + 256*10) flop. Backward needs the weight gradients of both
# layers and the input gradient of the second layer only (nobody asks for the gradient of the images):
# 2*n*(784*256 + 2*256*10). Hence training 2*n*(2*784*256 + 3*256*10), i.e. about 53.2 GFLOP per epoch.
FLOP_PER_EPOCH = (2 * N_TRAIN * (2 * N_IN * N_HIDDEN + 3 * N_HIDDEN * N_OUT)
                  + 2 * N_TEST * (N_IN * N_HIDDEN + N_HIDDEN * N_OUT))
FLOP_FORMULA = '2*60000*(2*784*256 + 3*256*10) + 2*10000*(784*256 + 256*10)'

# The matrix products of one epoch, (m, k, n) for an (m, k) by (k, n) product, with how many of each an epoch
# runs (batches of 256: 234.375 per training pass, 39.0625 per test pass).
TRAIN_BATCHES, TEST_BATCHES = N_TRAIN / BATCH_SIZE, N_TEST / BATCH_SIZE
PRODUCTS = [
    ((BATCH_SIZE, N_IN, N_HIDDEN), TRAIN_BATCHES + TEST_BATCHES),   # X W1, forward
    ((BATCH_SIZE, N_HIDDEN, N_OUT), TRAIN_BATCHES + TEST_BATCHES),  # H W2, forward
    ((N_IN, BATCH_SIZE, N_HIDDEN), TRAIN_BATCHES),                  # X^T dH: gradient of W1
    ((N_HIDDEN, BATCH_SIZE, N_OUT), TRAIN_BATCHES),                 # H^T dO: gradient of W2
    ((BATCH_SIZE, N_OUT, N_HIDDEN), TRAIN_BATCHES),                 # dO W2^T: gradient of H
]

TARGETS = {'scratch_s_per_epoch': 1.1, 'gluon_s_per_epoch': 0.7, 'speedup': 5.0, 'first_load_s': 1.0,
           'warm_load_s': 0.3, 'test_acc': 0.86}  # the speed-up is of 10 epochs end to end, over the book's pipeline
RUNS = ['data', 'floor', 'scratch-book', 'scratch-gluonbook', 'gluon-book', 'gluon-gluonbook', 'rnn-loop', 'ch7-loop']
LOOPS = ['rnn-loop', 'ch7-loop']  # the later chapters' loops, against gluonbook 0.8.10


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
# The book's training loop, copied from gluonbook 0.8.10 (gluonbook/utils.py: sgd, _get_batch,
# evaluate_accuracy, train_ch3) so that both pipelines drive the same loop. Only changes: the epoch is timed
# (start ... seconds.append) and the per-epoch times and test accuracies are returned.

def book_sgd(params, lr, batch_size):
    """Mini-batch stochastic gradient descent."""
    for param in params:
        param[:] = param - lr * param.grad / batch_size


def book_get_batch(batch, ctx):
    """Return features and labels on ctx."""
    from mxnet.gluon import utils as gutils
    features, labels = batch
    if labels.dtype != features.dtype:
        labels = labels.astype(features.dtype)
    return (gutils.split_and_load(features, ctx),
            gutils.split_and_load(labels, ctx), features.shape[0])


def book_evaluate_accuracy(data_iter, net, ctx=None):
    """Evaluate accuracy of a model on the given data set."""
    import mxnet as mx
    from mxnet import nd
    ctx = [mx.cpu()] if ctx is None else ctx
    if isinstance(ctx, mx.Context):
        ctx = [ctx]
    acc_sum, n = nd.array([0]), 0
    for batch in data_iter:
        features, labels, _ = book_get_batch(batch, ctx)
        for X, y in zip(features, labels):
            y = y.astype('float32')
            acc_sum += (net(X).argmax(axis=1) == y).sum().copyto(mx.cpu())
            n += y.size
        acc_sum.wait_to_read()
    return acc_sum.asscalar() / n


def book_train_ch3(net, train_iter, test_iter, loss, num_epochs, batch_size,
                   params=None, lr=None, trainer=None):
    """Train and evaluate a model with CPU."""
    from mxnet import autograd
    seconds, test_accs = [], []
    for epoch in range(num_epochs):
        start = time.time()
        train_l_sum, train_acc_sum, n = 0.0, 0.0, 0
        for X, y in train_iter:
            with autograd.record():
                y_hat = net(X)
                l = loss(y_hat, y).sum()
            l.backward()
            if trainer is None:
                book_sgd(params, lr, batch_size)
            else:
                trainer.step(batch_size)
            y = y.astype('float32')
            train_l_sum += l.asscalar()
            train_acc_sum += (y_hat.argmax(axis=1) == y).sum().asscalar()
            n += y.size
        test_acc = book_evaluate_accuracy(test_iter, net)
        seconds.append(time.time() - start)
        test_accs.append(test_acc)
        print('epoch %d, loss %.4f, train acc %.3f, test acc %.3f'
              % (epoch + 1, train_l_sum / n, train_acc_sum / n, test_acc), flush=True)
    return seconds, test_accs


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
        seconds, test_accs = history.seconds, history.test_acc
    return {'end_to_end_s': time.time() - spawned, 'load_s': load_s, 'epoch_s': seconds,
            'test_acc': test_accs[-1], 'kernel': openblas_core()}


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


def book_0810():
    """gluonbook 0.8.10's ``utils`` module, loaded as ``gluonbook_0810`` from a scratch folder (downloaded once
    with pip), so that it never shadows this package."""
    import importlib.util
    folder = os.environ.get('GLUONBOOK_0810') or os.path.join(tempfile.gettempdir(), 'gluonbook-0.8.10')
    path = os.path.join(folder, 'utils.py')
    if not os.path.exists(path):
        import tarfile
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, '-m', 'pip', 'download', '-q', '--no-deps', 'gluonbook==0.8.10', '-d',
                            tmp], check=True)
            with tarfile.open(os.path.join(tmp, 'gluonbook-0.8.10.tar.gz')) as tar:
                member = tar.getmember('gluonbook-0.8.10/gluonbook/utils.py')
                os.makedirs(folder, exist_ok=True)
                with tar.extractfile(member) as src, open(path + '.tmp', 'wb') as dst:
                    dst.write(src.read())
            os.replace(path + '.tmp', path)
    spec = importlib.util.spec_from_file_location('gluonbook_0810', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    seconds, perplexity = alternate({'gluonbook': train(gb), 'gluonbook-0.8.10': train(book)}, 3)
    return {'seconds': seconds, 'perplexity': perplexity, 'what': f'GRU from scratch, {epochs} epochs'}


def child_ch7_loop(epochs, spawned):
    """The minibatch-SGD section's train_ch7 with batches of one example, this package's against 0.8.10's."""
    import contextlib
    import io

    import mxnet as mx

    import gluonbook as gb
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
    seconds, loss = alternate({'gluonbook': train(gb), 'gluonbook-0.8.10': train(book)}, 3)
    return {'seconds': seconds, 'loss': loss, 'what': 'train_ch7, batch 1, 2 epochs (3000 updates)'}


CHILDREN = {'data': child_data, 'floor': child_floor, 'rnn-loop': child_rnn_loop, 'ch7-loop': child_ch7_loop}


def child_main(args):
    """Run one measurement in this (fresh) process and write its result as JSON."""
    if args.child in CHILDREN:
        result = CHILDREN[args.child](args.epochs, args.spawned)
    else:
        name, pipeline = args.child.split('-')
        result = child_train(name, pipeline, args.epochs, args.spawned)
    with open(args.result, 'w') as f:
        json.dump(result, f)


# ---------------------------------------------------------------------------------------------------------------
# The parent: start each child, collect its result and its peak memory

def run_child(name, epochs, timeout, env=None):
    """Run one measurement in a fresh process of this Python; returns its result, with ``peak_rss_mb``
    (the largest resident set of the process or any worker it started, as ``/usr/bin/time -v`` reports it)
    and ``wall_s``; or ``{'error': ...}`` saying what went wrong."""
    fd, result_path = tempfile.mkstemp(prefix='bench-', suffix='.json')
    os.close(fd)
    with tempfile.TemporaryFile(mode='w+') as log:
        spawned = time.time()
        proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), '--child', name, '--epochs', str(epochs),
             '--spawned', repr(spawned), '--result', result_path],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        timer = threading.Timer(timeout, os.killpg, (proc.pid, signal.SIGKILL))  # its own group: it and its workers
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own rusage, workers included
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.time() - spawned
        log.seek(0)
        output = log.read()
    try:
        with open(result_path) as f:
            result = json.load(f) if proc.returncode == 0 else None
    except (OSError, ValueError):
        result = None
    finally:
        os.remove(result_path)
    if result is None:
        if proc.returncode == -signal.SIGKILL and wall >= timeout:
            error = f'timed out after {timeout:.0f} s (raise --timeout)'
        else:
            lines = [line for line in output.splitlines() if line.strip()]
            error = f'exit code {proc.returncode}: {lines[-1] if lines else "no output"}'
        return {'error': error, 'log_tail': output[-3000:]}
    result.update(peak_rss_mb=usage.ru_maxrss / 1024, wall_s=wall)
    return result


def env_for(name):
    """The book's pipeline runs the stack as the book had it: no BLAS kernel chosen for it (gluonbook_compat's
    start-up hook off)."""
    env = dict(os.environ)
    if name in LOOPS:
        env['MPLBACKEND'] = 'Agg'
    if name.endswith('-book'):
        env.pop('OPENBLAS_CORETYPE', None)
        env['GLUONBOOK_COMPAT'] = '0'
    return env


def summarize_training(result):
    """Seconds per epoch (median of epochs 2..N), epoch 1, and GFLOP/s at that median."""
    if 'error' in result:
        return result
    seconds = result['epoch_s']
    median = statistics.median(seconds[1:]) if len(seconds) > 1 else None
    result.update(s_per_epoch=median, epoch1_s=seconds[0],
                  gflops=FLOP_PER_EPOCH / median / 1e9 if median else None)
    return result


def summarize_floor(result):
    """Per path: seconds for one epoch's products at the measured speeds, and the GFLOP/s that makes."""
    if 'error' in result:
        return result
    epoch = {}
    for path, per_shape in result['seconds_per_call'].items():
        epoch[path] = sum(count * per_shape[f'{m}x{k} by {k}x{n}'] for (m, k, n), count in PRODUCTS)
    flop = sum(count * 2 * m * k * n for (m, k, n), count in PRODUCTS)
    main = f'{BATCH_SIZE}x{N_IN} by {N_IN}x{N_HIDDEN}'
    result['paths'] = {path: {'epoch_s': s, 'gflops': flop / s / 1e9,
                              'gflops_main_shape': 2 * BATCH_SIZE * N_IN * N_HIDDEN
                              / result['seconds_per_call'][path][main] / 1e9}
                       for path, s in epoch.items()}
    best = min(result['paths'], key=lambda p: result['paths'][p]['epoch_s'])
    result.update(best_path=best, floor_epoch_s=epoch[best], floor_gflops=result['paths'][best]['gflops'])
    return result


# ---------------------------------------------------------------------------------------------------------------
# Targets and the table

def targets(results, epochs):
    """``(target, measured, result)`` rows; result is PASS, FAIL, or n/a where the runs needed were not done."""
    def value(name, key):
        return results.get(name, {}).get(key)

    def row(label, runs, measured, ok):
        if any('error' in results.get(name, {}) for name in runs):
            return label, 'run failed', 'FAIL'
        return label, measured, 'n/a' if ok is None else ('PASS' if ok else 'FAIL')

    models = (('scratch', 'from-scratch MLP'), ('gluon', 'Gluon MLP'))
    limits = {'scratch': TARGETS['scratch_s_per_epoch'], 'gluon': TARGETS['gluon_s_per_epoch']}
    span = f'{epochs} epoch{"s" if epochs != 1 else ""}'
    rows = []
    for model, label in models:
        s = value(f'{model}-gluonbook', 's_per_epoch')
        rows.append(row(f'{label}: s/epoch <= {limits[model]}', [f'{model}-gluonbook'], fmt(s, 's'),
                        None if s is None else s <= limits[model]))
    for model, label in models:
        ours, book = value(f'{model}-gluonbook', 'end_to_end_s'), value(f'{model}-book', 'end_to_end_s')
        ratio = book / ours if ours and book else None
        rows.append(row(f'{label}: {span} end to end >= {TARGETS["speedup"]:g}x faster than the book',
                        [f'{model}-gluonbook', f'{model}-book'], fmt(ratio, 'x'),
                        None if ratio is None else ratio >= TARGETS['speedup']))
    for key, label in (('first_s', 'first'), ('warm_s', 'warm')):
        seconds, limit = value('data', key), TARGETS[key.replace('_s', '_load_s')]
        rows.append(row(f'{label} load_data_fashion_mnist < {limit:g} s', ['data'], fmt(seconds, 's'),
                        None if seconds is None else seconds < limit))
    for model, label in models:
        ours, book = value(f'{model}-gluonbook', 'peak_rss_mb'), value(f'{model}-book', 'peak_rss_mb')
        rows.append(row(f"{label}: peak RSS not above the book pipeline's", [f'{model}-gluonbook', f'{model}-book'],
                        f'{fmt(ours, " MB", 1)} vs {fmt(book, " MB", 1)}',
                        None if not ours or not book else ours <= book))
    for model, label in models:
        acc = value(f'{model}-gluonbook', 'test_acc')
        note = '' if epochs >= 10 else f' (not judged: this run has {span})'
        rows.append(row(f'{label}: test accuracy after 10 epochs >= {TARGETS["test_acc"]}{note}',
                        [f'{model}-gluonbook'], fmt(acc, ''),
                        None if acc is None or epochs < 10 else acc >= TARGETS['test_acc']))
    return rows


def fmt(value, unit, digits=None):
    if value is None:
        return '-'
    if digits is None:
        digits = 0 if unit.strip() == 'MB' else (1 if unit == 'x' else 3)
    return f'{value:.{digits}f}{unit}'


def aligned(header, rows):
    """Rows of strings as a plain-text table: numbers right-aligned, the first and last columns left-aligned."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    lines = []
    for j, row in enumerate([header] + rows):
        cells = [str(c).ljust(w) if i in (0, len(row) - 1) else str(c).rjust(w)
                 for i, (c, w) in enumerate(zip(row, widths))]
        lines.append('  '.join(cells).rstrip())
        if j == 0:
            lines.append('  '.join('-' * w for w in widths))
    return lines


def report(results, machine, epochs):
    """The whole table, as lines of text."""
    floor = results.get('floor', {})
    floor_gflops = floor.get('floor_gflops')
    lines = [f"gluonbook benchmark, {machine['date']}, {machine['cpu']} ({machine['cores']} cores), "
             f"MXNet {machine['mxnet']}, numpy {machine['numpy']}, Python {machine['python']}, "
             f"load average {machine['load_before']} before, {machine['load_after']} after",
             f'one epoch = {FLOP_PER_EPOCH / 1e9:.1f} GFLOP = {FLOP_FORMULA}', '']
    rows = []
    for name in RUNS[2:]:
        if name in LOOPS:
            continue
        if name not in results:
            continue
        r = results[name]
        if 'error' in r:
            rows.append((name,) + ('',) * 9 + ('FAILED: ' + r['error'],))
            continue
        share = f"{100 * r['gflops'] / floor_gflops:.0f}%" if r['gflops'] and floor_gflops else '-'
        rows.append((name, r['kernel'] or '?', fmt(r['s_per_epoch'], ''), fmt(r['epoch1_s'], ''),
                     fmt(r['end_to_end_s'], ''), fmt(r['load_s'], ''), fmt(r['test_acc'], ''),
                     fmt(r['peak_rss_mb'], '', 0), fmt(r['gflops'], '', 1), share, ''))
    for path, p in floor.get('paths', {}).items():
        rows.append((f'floor: {path}', floor['kernel'] if path.startswith('nd.') else 'numpy', fmt(p['epoch_s'], ''),
                     '', '', '', '', '', fmt(p['gflops'], '', 1), f"{100 * floor['floor_epoch_s'] / p['epoch_s']:.0f}%",
                     f"{p['gflops_main_shape']:.1f} on {BATCH_SIZE}x{N_IN} by {N_IN}x{N_HIDDEN}"))
    if 'error' in floor:
        rows.append(('floor',) + ('',) * 9 + ('FAILED: ' + floor['error'],))
    data = results.get('data')
    if data is not None:
        if 'error' in data:
            rows.append(('data load',) + ('',) * 9 + ('FAILED: ' + data['error'],))
        else:
            second = results.get('data-again', {})
            rows.append(('data load', '', '', '', '', fmt(data['first_s'], ''), '', fmt(data['peak_rss_mb'], '', 0),
                         '', '', f"first call; warm {data['warm_s']:.3f} s; second process "
                         f"{fmt(second.get('first_s'), ' s', 3)}; import {data['import_s']:.2f} s"))
    if rows:
        lines += aligned(('run', 'kernel', f's/epoch 2..{epochs}', 'epoch 1 s', 'end-to-end s', 'load s',
                          'test acc', 'peak RSS MB', 'GFLOP/s', 'of floor', 'notes'), rows)
        lines.append('')
    lines += aligned(('target', 'measured', 'result'), targets(results, epochs))
    loops = [loop_row(name, results[name]) for name in LOOPS if name in results]
    if loops:
        lines += ['', "the book's later loops, against gluonbook 0.8.10 in the same process (median of 3 rounds):"]
        lines += aligned(('run', 'what', 'gluonbook s', '0.8.10 s', 'speed-up', 'result (ours / 0.8.10)'), loops)
    return lines


def loop_row(name, r):
    if 'error' in r:
        return (name, '', '', '', '', 'FAILED: ' + r['error'])
    ours, theirs = (statistics.median(r['seconds'][k]) for k in ('gluonbook', 'gluonbook-0.8.10'))
    key = 'perplexity' if 'perplexity' in r else 'loss'
    return (name, r['what'], f'{ours:.2f}', f'{theirs:.2f}', f'{theirs / ours:.2f}x',
            f"{key} {r[key]['gluonbook']:.4f} / {r[key]['gluonbook-0.8.10']:.4f}")


def machine_facts():
    """CPU model, cores, versions and the BLAS setting of the environment, without importing MXNet."""
    cpu = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as f:
            cpu = next((line.split(':', 1)[1].strip() for line in f if line.startswith('model name')), cpu)
    except OSError:
        pass

    def version(package):
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return 'not installed'
    return {'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'), 'cpu': cpu,
            'cores': os.cpu_count(), 'python': platform.python_version(), 'mxnet': version('mxnet'),
            'numpy': version('numpy'), 'gluonbook': version('gluonbook'),
            'OPENBLAS_CORETYPE': os.environ.get('OPENBLAS_CORETYPE'),
            'load_before': ' '.join(f'{x:.1f}' for x in os.getloadavg())}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--epochs', type=int, default=10, help='epochs per training run (default 10)')
    parser.add_argument('--quick', action='store_true', help='a smoke run: 2 epochs, shorter floor measurement')
    parser.add_argument('--only', help=f'comma-separated runs to do, among {",".join(RUNS)} (default: all)')
    parser.add_argument('--out', help='write the results as JSON to this file')
    parser.add_argument('--timeout', type=float, default=1800, help='seconds allowed per run (default 1800)')
    for hidden in ('--child', '--spawned', '--result'):
        parser.add_argument(hidden, help=argparse.SUPPRESS, type=float if hidden == '--spawned' else str)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args)
    epochs = 2 if args.quick else args.epochs
    if epochs < 1:
        parser.error(f'--epochs must be at least 1, got {epochs}')
    names = RUNS if not args.only else [n.strip() for n in args.only.split(',') if n.strip()]
    unknown = [n for n in names if n not in RUNS]
    if unknown:
        parser.error(f'unknown run(s) {", ".join(unknown)}; choose among {", ".join(RUNS)}')

    machine = machine_facts()
    results = {}
    for name in [n for n in RUNS if n in names]:  # always in the same order: data first, while caches are cold
        print(f'running {name} ...', file=sys.stderr, flush=True)
        result = run_child(name, epochs, args.timeout, env_for(name))
        if name == 'data':
            results['data-again'] = run_child('data', epochs, args.timeout, env_for(name))
        summarize = {'floor': summarize_floor, 'data': dict, 'rnn-loop': dict, 'ch7-loop': dict}.get(
            name, summarize_training)
        results[name] = summarize(result)
        if 'error' in result:
            print(f'{name} failed: {result["error"]}\n{result.get("log_tail", "")}', file=sys.stderr)
    machine['load_after'] = ' '.join(f'{x:.1f}' for x in os.getloadavg())
    machine['kernels'] = {name: r.get('kernel') for name, r in results.items() if 'kernel' in r}

    lines = report(results, machine, epochs)
    print('\n'.join(lines))
    if args.out:
        table = {'machine': machine, 'epochs': epochs, 'flop_per_epoch': FLOP_PER_EPOCH,
                 'flop_formula': FLOP_FORMULA, 'runs': results,
                 'targets': [{'target': t, 'measured': m, 'result': r} for t, m, r in targets(results, epochs)],
                 'table': lines}
        with open(args.out, 'w') as f:
            json.dump(table, f, indent=1)
        print(f'results written to {args.out}', file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
