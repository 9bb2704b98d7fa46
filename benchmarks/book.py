"""The book's reference: gluonbook 0.8.10, fetched with a pinned hash, and its training loop of chapter 3.

gluonbook 0.8.10 (PyPI, the book's own helper package) is downloaded once with
``pip download --no-deps gluonbook==0.8.10`` into a scratch folder, its sha256 checked against the one pinned here
before anything is extracted, and its ``utils.py`` loaded as the module ``gluonbook_0810``, so that it never
shadows this package. ``$GLUONBOOK_0810`` may name a folder holding that ``utils.py`` instead (offline machines).
"""
import hashlib
import os
import subprocess
import sys
import tempfile
import time

SDIST = 'gluonbook-0.8.10.tar.gz'
SHA256 = 'b9116eaf231088139341c6e2eb89151e8ca6eb4010f7f5e0b4f5e2013ff21b25'
MEMBER = 'gluonbook-0.8.10/gluonbook/utils.py'


def sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def extract_utils(sdist, folder):
    """Check ``sdist`` against the pinned sha256, then write its ``utils.py`` into ``folder`` (whole or not at
    all). Raises RuntimeError naming both hashes if they differ: nothing is extracted from another file."""
    import tarfile

    from gluonbook.files import write_atomically
    found = sha256(sdist)
    if found != SHA256:
        raise RuntimeError(f'{sdist} has sha256 {found}, not the pinned {SHA256} of gluonbook 0.8.10; delete it '
                           f'and run again (or set GLUONBOOK_0810 to a folder holding its utils.py)')
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, 'utils.py')
    with tarfile.open(sdist) as tar, tar.extractfile(tar.getmember(MEMBER)) as src:
        content = src.read()

    def write(tmp):
        with open(tmp, 'wb') as f:
            f.write(content)
    write_atomically(path, write)
    return path


def utils_path():
    """The path of 0.8.10's ``utils.py``: ``$GLUONBOOK_0810/utils.py``, else downloaded (once) and verified."""
    if os.environ.get('GLUONBOOK_0810'):
        return os.path.join(os.environ['GLUONBOOK_0810'], 'utils.py')
    folder = os.path.join(tempfile.gettempdir(), f'gluonbook-0.8.10-{SHA256[:12]}')
    path = os.path.join(folder, 'utils.py')
    if not os.path.exists(path):
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, '-m', 'pip', 'download', '-q', '--no-deps', 'gluonbook==0.8.10', '-d',
                            tmp], check=True)
            extract_utils(os.path.join(tmp, SDIST), folder)
    return path


def book_0810():
    """gluonbook 0.8.10's ``utils`` module, loaded as ``gluonbook_0810``."""
    import importlib.util
    spec = importlib.util.spec_from_file_location('gluonbook_0810', utils_path())
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
