"""What several test modules share: IDX files written on the fly, the book's epoch line, stopping a process with
Ctrl-C. (Fixtures are in conftest.py.)"""
import collections
import dataclasses
import gzip
import hashlib
import http.server
import io
import os
import re
import signal
import tarfile
import threading
import time

import numpy as np
from mxnet import nd

from gluonbook import data, datahub

# the book's line per epoch; train and train_ch5 add the time, launch puts the worker's name before it
EPOCH_LINE = re.compile(r'^(?:\[worker \d+\] )?epoch (\d+), loss (\d+\.\d{4}|nan|inf), train acc (\d\.\d{3}), '
                        r'test acc (\d\.\d{3})(?:, time (\d+\.\d) sec)?$', re.M)
Epoch = collections.namedtuple('Epoch', 'epoch loss train_acc test_acc seconds')


def epoch_lines(text):
    """Every book line in ``text``, as numbers: ``[Epoch(epoch=1, loss=0.81, ...), ...]``."""
    return [Epoch(int(e), float(loss), float(train), float(test), float(sec) if sec else None)
            for e, loss, train, test, sec in EPOCH_LINE.findall(text)]


def idx_bytes(array):
    """An IDX file's bytes: magic (unsigned byte, ndim), big-endian dims, payload."""
    header = (0x0800 + array.ndim).to_bytes(4, 'big') + b''.join(d.to_bytes(4, 'big') for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_split(folder, name, images, labels):
    """``NAME-images.gz`` and ``NAME-labels.gz`` in ``folder``."""
    os.makedirs(folder, exist_ok=True)
    for suffix, array in (('images', images), ('labels', labels)):
        with gzip.open(os.path.join(folder, f'{name}-{suffix}.gz'), 'wb') as f:
            f.write(idx_bytes(array))


def tiny_dataset(images, labels, test_images, test_labels):
    """A Dataset spec for the given arrays: same facts as Fashion-MNIST's, small files, their own hashes."""
    def spec(name, array):
        return data.IdxFile(name, array.shape, hashlib.sha256(idx_bytes(array)).hexdigest())
    return dataclasses.replace(data.FASHION_MNIST, name='tiny', mirrors=[], debian_dir=None, files={
        'train_images': spec('train-images.gz', images), 'train_labels': spec('train-labels.gz', labels),
        'test_images': spec('t10k-images.gz', test_images), 'test_labels': spec('t10k-labels.gz', test_labels)})


def interrupt_at(process, prefix, timeout=60, sig=signal.SIGINT):
    """Send Ctrl-C (SIGINT, or ``sig``) to ``process`` when it prints a line starting with ``prefix``; its exit
    code. A process that prints no such line within ``2 * timeout`` seconds is killed."""
    watchdog = threading.Timer(2 * timeout, process.kill)
    watchdog.start()
    try:
        for line in process.stdout:
            if line.startswith(prefix):
                process.send_signal(sig)
                break
        return process.wait(timeout=timeout)
    finally:
        watchdog.cancel()
        process.kill()
        process.wait()


class Server(http.server.ThreadingHTTPServer):
    """Serves, for each path, the next of the behaviours queued for it (the last one repeats)."""
    daemon_threads = True

    def __init__(self):
        super().__init__(('127.0.0.1', 0), Handler)
        self.routes, self.hits = {}, {}
        self.url = f'http://127.0.0.1:{self.server_address[1]}/'


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        queue = self.server.routes.get(self.path, [('status', 404)])
        self.server.hits[self.path] = self.server.hits.get(self.path, 0) + 1
        kind, *args = queue.pop(0) if len(queue) > 1 else queue[0]
        if kind == 'status':
            self.send_error(args[0])
            return
        body = args[0]
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if kind == 'body':
            self.wfile.write(body)
        elif kind == 'short':  # promise the whole body, send half, hang up
            self.wfile.write(body[:len(body) // 2])
        elif kind == 'stall':  # headers, then silence
            time.sleep(args[1])
        elif kind == 'slow':  # the body in small pieces, slowly
            for i in range(0, len(body), 4096):
                self.wfile.write(body[i:i + 4096])
                self.wfile.flush()
                time.sleep(args[1])


OLD_NAMES = {'imdb': 'imdb/aclImdb_v1.tar.gz', 'voc2012': 'voc/VOCtrainval_11-May-2012.tar',
             'pikachu_train_rec': 'pikachu/train.rec', 'pikachu_train_idx': 'pikachu/train.idx',
             'pikachu_val_rec': 'pikachu/val.rec', 'jaychou_lyrics': 'jaychou_lyrics.txt.zip'}


def stand_in(monkeypatch, name, body, mirrors, **changes):
    """Register a small stand-in for the registry's file ``name``: ``body``'s own sha256 and size, served from each
    of ``mirrors`` (base URLs) at ``/NAME``; the real entry is put back after the test. Returns the stand-in."""
    name = OLD_NAMES.get(name, name)
    real = datahub.REGISTRY[name]
    monkeypatch.setitem(datahub.REGISTRY, name, real)  # restored after the test
    fields = dict(known_hash='sha256:' + hashlib.sha256(body).hexdigest(), size=len(body), payload='file',
                  mirrors=tuple(m + name for m in mirrors))
    return datahub.register(dataclasses.replace(real, **{**fields, **changes}))


def tar_gz(files):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w:gz') as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def alive(pid):
    """Whether a process exists and is not a zombie."""
    try:
        with open(f'/proc/{pid}/stat') as f:
            return f.read().rsplit(')', 1)[1].split()[0] not in ('Z', 'X')
    except FileNotFoundError:
        return False


def tiny_batches(n=6):
    """Batches of one example each: one-hot rows labelled by their hot index (a linear model can learn them)."""
    return [(nd.one_hot(nd.array([i % 3]), 3), nd.array([i % 3])) for i in range(n)]


def linear_model():
    """``(net, [w])``: scores ``X w`` of a 3x3 weight, with a gradient attached."""
    w = nd.zeros((3, 3))
    w.attach_grad()
    return (lambda X: nd.dot(X, w)), [w]
