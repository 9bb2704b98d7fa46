"""What several test modules share: IDX files written on the fly, the book's epoch line, stopping a process with
Ctrl-C. (Fixtures are in conftest.py.)"""
import collections
import dataclasses
import gzip
import hashlib
import os
import re
import signal
import threading

import numpy as np

from gluonbook import data

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


def interrupt_at(process, prefix, timeout=60):
    """Send Ctrl-C (SIGINT) to ``process`` when it prints a line starting with ``prefix``; its exit code. A
    process that prints no such line within ``2 * timeout`` seconds is killed."""
    watchdog = threading.Timer(2 * timeout, process.kill)
    watchdog.start()
    try:
        for line in process.stdout:
            if line.startswith(prefix):
                process.send_signal(signal.SIGINT)
                break
        return process.wait(timeout=timeout)
    finally:
        watchdog.cancel()
        process.kill()
        process.wait()
