"""Fashion-MNIST, offline first: where copies live, verification, IDX parsing, in-memory batch iterators.

Data flows one way: gzip files -> verified IDX payloads -> numpy arrays -> batches (NDArrays on a context).
Every file is checked against the sha256 of its *decompressed* payload, so the dataset's own files, MXNet's
mirror and Debian's re-compressed copy all pass, and wrong data (say, plain MNIST from a bad mirror) never does.
"""
import dataclasses
import functools
import gzip
import hashlib
import math
import numbers
import os
import zlib

import mxnet as mx
import numpy as np
from mxnet import gluon, nd

from . import datahub
from .datahub import DataError, DataMissingError
from .devices import as_context
from .resize import bilinear

TEXT_LABELS = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat',
               'sandal', 'shirt', 'sneaker', 'bag', 'ankle boot']
DEBIAN_DIR = '/usr/share/datasets/fashion-mnist'
FIX = ('install a local copy (Debian/Ubuntu: apt-get install dataset-fashion-mnist), '
       'or point GLUONBOOK_DATA=/path at a folder holding the four .gz files, '
       'or connect to the internet and run: gluonbook data --fetch fashion-mnist')


@dataclasses.dataclass(frozen=True)
class IdxFile:
    """One gzip-compressed IDX file: its name, shape and the sha256 of its decompressed payload."""
    name: str
    shape: tuple
    sha256: str

    @property
    def magic(self):  # 0x08 = unsigned byte, then the number of dimensions
        return 0x0800 + len(self.shape)

    @property
    def size(self):  # bytes once decompressed: the header (4 + 4 per dimension) and the payload
        return 4 + 4 * len(self.shape) + math.prod(self.shape)


@dataclasses.dataclass(frozen=True, eq=False)  # hashed by identity, so loads can be cached per dataset
class Dataset:
    """The facts about an IDX dataset: its files, its class names, its mirrors and its cache folder's name."""
    name: str
    files: dict
    classes: list
    mirrors: list
    debian_dir: str = None


def _sha256(stem):
    return datahub.REGISTRY['fashion-mnist/' + stem].known_hash.partition(':')[2]


FASHION_MNIST = Dataset(
    name='fashion-mnist',
    files={
        'train_images': IdxFile('train-images-idx3-ubyte.gz', (60000, 28, 28), _sha256('train-images')),
        'train_labels': IdxFile('train-labels-idx1-ubyte.gz', (60000,), _sha256('train-labels')),
        'test_images': IdxFile('t10k-images-idx3-ubyte.gz', (10000, 28, 28), _sha256('t10k-images')),
        'test_labels': IdxFile('t10k-labels-idx1-ubyte.gz', (10000,), _sha256('t10k-labels')),
    },
    classes=TEXT_LABELS,
    mirrors=['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
             'https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/gluon/dataset/fashion-mnist/',
             'https://storage.googleapis.com/tensorflow/tf-keras-datasets/'],
    debian_dir=DEBIAN_DIR,
)


# ---------------------------------------------------------------------------------------------------------------
# Reading and verifying one file

def read_idx(path, spec):
    """Decompress, verify and parse one IDX file; returns a read-only uint8 array of ``spec.shape``.

    Raises ``DataError`` naming the file and what is wrong with it. Never decompresses more than the
    file should hold, whatever its header claims."""
    try:
        raw = _gunzip(path, spec.size + 1)
    except (OSError, EOFError, zlib.error) as e:
        raise DataError(f'{path}: not a readable gzip file ({e})') from None
    if len(raw) < 4 or int.from_bytes(raw[:4], 'big') != spec.magic:
        raise DataError(f'{path}: not an IDX file of {len(spec.shape)} dimension(s): magic number '
                        f'{int.from_bytes(raw[:4], "big")}, expected {spec.magic}')
    ndim = len(spec.shape)
    header = raw[4:4 + 4 * ndim]
    dims = tuple(int.from_bytes(header[4 * i:4 * i + 4], 'big') for i in range(len(header) // 4))
    if dims != spec.shape:
        raise DataError(f'{path}: IDX header gives dimensions {dims}, expected {spec.shape}')
    if len(raw) != spec.size:
        raise DataError(f'{path}: payload is {len(raw) - 4 - 4 * ndim} bytes, the header promises '
                        f'{math.prod(dims)} (truncated or padded file)')
    digest = hashlib.sha256(raw).hexdigest()
    if digest != spec.sha256:
        raise DataError(f'{path}: contents do not match {spec.name} (sha256 of the decompressed data is '
                        f'{digest}, expected {spec.sha256}); it is another data set or a damaged copy')
    array = np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(spec.shape)
    array.flags.writeable = False  # cached and shared for the process: writing to it raises instead
    return array


def _gunzip(path, limit):
    """The decompressed contents of a gzip file, at most ``limit`` bytes of them, read into one buffer.

    Streaming into a buffer of the expected size holds neither the compressed file nor a second copy in memory
    (the images then reach MXNet without a copy), and a header claiming a huge size cannot make us allocate it."""
    raw = bytearray(limit)
    n = 0
    with gzip.open(path) as f, memoryview(raw) as view:
        while n < limit and (k := f.readinto(view[n:])):
            n += k
    del raw[n:]
    return raw


# ---------------------------------------------------------------------------------------------------------------
# Where copies live: the registry (gluonbook/datahub.py) looks and downloads; here each copy is parsed as it is
# verified, so the 47 MB of images are decompressed once.

STEMS = {'train_images': 'train-images', 'train_labels': 'train-labels', 'test_images': 't10k-images',
         'test_labels': 't10k-labels'}


def datafile(key, dataset=FASHION_MNIST):
    """The registry's entry for one file of the dataset (built from the dataset's facts for another one)."""
    name = f'{dataset.name}/{STEMS.get(key, key)}'
    if dataset is FASHION_MNIST:
        return datahub.REGISTRY[name]
    spec = dataset.files[key]
    mirrors = tuple(m + spec.name for m in dataset.mirrors)
    return datahub.DataFile(
        name, spec.name, mirrors[0] if mirrors else spec.name, mirrors, 'sha256:' + spec.sha256,
        sections=('fashion-mnist',), cache_path=f'datasets/{dataset.name}/{spec.name}',
        debian_path=os.path.join(dataset.debian_dir, spec.name) if dataset.debian_dir else None,
        package='dataset-fashion-mnist' if dataset.debian_dir else None, payload='gunzip')


def _spec(key, dataset, entry):
    """The file's IdxFile, its hash the registry's (so a registered replacement is what is verified)."""
    return dataclasses.replace(dataset.files[key], sha256=entry.known_hash.partition(':')[2])


def cache_dir(dataset=FASHION_MNIST):
    """MXNet's cache for the dataset: ``$MXNET_HOME/datasets/NAME`` (default ``~/.mxnet/datasets/NAME``)."""
    return os.path.join(datahub.mxnet_home(), 'datasets', dataset.name)


def sources(root=None, dataset=FASHION_MNIST, key='train_images'):
    """The places searched for one file of the dataset, in order, as ``(what, path)`` pairs."""
    return datahub.sources(datafile(key, dataset), root)


def locate(key, root=None, dataset=FASHION_MNIST, download=True):
    """Find a verified copy of one file; returns ``(path, array, where)``.

    Searches :func:`sources` in order; a copy that fails verification is named in a warning and skipped.
    Failing all of them, downloads into MXNet's cache (verifying before the file is put in place); failing that,
    a one-line ``DataMissingError`` saying what to do."""
    entry = datafile(key, dataset)
    spec = _spec(key, dataset, entry)
    found = datahub.locate(entry, root, read=lambda path: read_idx(path, spec), download=download)
    return found.path, found.value, found.where


def fetch(spec, folder, mirrors):
    """Download one file into ``folder`` from the first mirror that serves a verified copy; returns
    ``(path, array)`` (see :func:`gluonbook.datahub.fetch`)."""
    entry = datahub.DataFile(spec.name, spec.name, spec.name, tuple(m + spec.name for m in mirrors),
                             'sha256:' + spec.sha256, payload='gunzip')
    return datahub.fetch(entry, os.path.join(folder, spec.name), lambda path: read_idx(path, spec))


@functools.lru_cache(maxsize=4)
def _load_split(train, root, dataset):
    """``(images, labels, where)`` of one split as uint8 numpy arrays, verified; kept for the process."""
    part = 'train' if train else 'test'
    _, images, where = locate(part + '_images', root, dataset)
    _, labels, _ = locate(part + '_labels', root, dataset)
    if labels.max(initial=0) >= len(dataset.classes):
        raise DataError(f'{dataset.name} {part} labels go up to {labels.max()}, '
                        f'expected 0..{len(dataset.classes) - 1}')
    return images, labels, where


def load_arrays(train=True, root=None, dataset=FASHION_MNIST):
    """The raw images ``(n, 28, 28)`` uint8 and labels ``(n,)`` uint8 of the training or test split.

    Both are read-only: they are read once and shared by every loader in the process (``.copy()`` to change one)."""
    images, labels, _ = _load_split(bool(train), None if root is None else os.fspath(root), dataset)
    return images, labels


# ---------------------------------------------------------------------------------------------------------------
# What the chapters use

class FashionMNIST(gluon.data.Dataset):
    """Fashion-MNIST as MXNet's ``gluon.data.vision.FashionMNIST`` gives it, from a verified copy.

    The files are found (or downloaded) and verified as :func:`load_data_fashion_mnist` does; the classes are
    listed there and in ``TEXT_LABELS``. Use it where the raw images are wanted (to show them, or with
    ``transform_first`` and ``gluon.data.DataLoader`` as with MXNet's own class); to train, the batches of
    :func:`load_data_fashion_mnist` are faster.

    Args:
        root (str or path): a folder to look in first.
        train (bool): the training split (60,000 images) or the test split (10,000).
        transform: a function ``(image, label) -> (image, label)`` applied to each item, as in Gluon.

    Items:
        ``len(ds)`` is 60000 or 10000. ``ds[i]`` is ``(image, label)``: the image a uint8 NDArray
        ``(28, 28, 1)`` with values 0 to 255, the label a
        ``numpy.int32`` from 0 to 9. ``ds[0:9]`` gives nine of each: images ``(9, 28, 28, 1)``, labels ``(9,)``.
        Each item is a copy: the images are held once for the whole process, and writing into an item
        never changes what other loaders see.

    Raises:
        DataError: no verified copy could be found or downloaded (the message says how to get one).

    Example:

    >>> mnist_test = gb.FashionMNIST(train=False)
    >>> image, label = mnist_test[0]
    >>> len(mnist_test), image.shape, image.dtype, int(label)
    (10000, (28, 28, 1), <class 'numpy.uint8'>, 9)
    """

    def __init__(self, root=None, train=True, transform=None, dataset=FASHION_MNIST):
        images, labels = load_arrays(train, root, dataset)
        self._data = _on(images[:, :, :, None], mx.cpu())
        self._label = labels.astype(np.int32)
        self._transform = transform

    def __getitem__(self, idx):
        image, label = self._data[idx].copy(), self._label[idx].copy()
        if self._transform is not None:
            return self._transform(image, label)
        return image, label

    def __len__(self):
        return len(self._label)


def _on(array, ctx):
    """``array`` as an NDArray on ``ctx``; on the CPU it shares the numpy array's memory instead of copying it."""
    if ctx.device_type == 'cpu':
        return nd.from_numpy(array, zero_copy=True).as_in_context(ctx)
    return nd.array(array, ctx=ctx, dtype=array.dtype)


class DataLoader:
    """Mini-batches of a split held once in memory: ``X`` float32 ``(b, 1, h, w)`` in [0, 1], ``y`` float32.

    Re-iterable; ``len()`` is the number of batches, the last one partial. With ``shuffle`` every pass draws a
    new order from MXNet's random generator (so ``mx.random.seed`` makes it reproducible); batches are gathered
    with one ``nd.take`` each, on ``ctx``, and never assembled image by image."""

    def __init__(self, images, labels, batch_size, shuffle=False, resize=None, ctx=None):
        batch_size = positive_int(batch_size, 'batch_size')
        if len(images) != len(labels):
            raise ValueError(f'{len(images)} images but {len(labels)} labels')
        self.ctx = as_context(ctx)
        self.batch_size, self.shuffle, self.resize = batch_size, shuffle, resize
        images = np.ascontiguousarray(images, dtype=np.uint8)
        self._X = _on(images.reshape(len(images), 1, *images.shape[-2:]), self.ctx)
        self._y = nd.array(labels, ctx=self.ctx, dtype=np.float32)

    def __len__(self):
        return math.ceil(len(self._y) / self.batch_size)

    def __iter__(self):
        """The batches, each requested from MXNet before the one before it is handed over: MXNet's engine
        computes the next batch (the gather, and the resizing) while you use this one."""
        ahead = None
        for batch in self._batches():
            if ahead is not None:
                yield ahead
            ahead = batch
        if ahead is not None:
            yield ahead

    def _batches(self):
        n, b = len(self._y), self.batch_size
        if self.shuffle:
            order = nd.random.shuffle(nd.arange(n, dtype=np.int32)).as_in_context(self.ctx)
        for i in range(0, n, b):
            if self.shuffle:
                idx = order[i:i + b]
                X, y = nd.take(self._X, idx), nd.take(self._y, idx)
            else:
                X, y = self._X[i:i + b], self._y[i:i + b].copy()  # a slice is a view: the user gets a copy
            if self.resize:  # MXNet's BilinearResize2D's pixels, as two matrix products (gluonbook/resize.py)
                X = bilinear(X.astype(np.float32), self.resize, self.resize, scale=1 / 255)
            else:
                X = X.astype(np.float32) / 255
            yield X, y


def load_data_fashion_mnist(batch_size, resize=None, root=None, ctx=None):
    """Fashion-MNIST as ``(train_iter, test_iter)``; the training iterator reshuffles every epoch.

    Fashion-MNIST is 70,000 grayscale images of 28x28 pixels of clothing in 10 classes (60,000 to train on,
    10,000 to test on), a drop-in replacement for MNIST's digits. The classes:

    | label | class       | label | class      |
    |-------|-------------|-------|------------|
    | 0     | t-shirt     | 5     | sandal     |
    | 1     | trouser     | 6     | shirt      |
    | 2     | pullover    | 7     | sneaker    |
    | 3     | dress       | 8     | bag        |
    | 4     | coat        | 9     | ankle boot |

    The files come from, in this order: ``root``; ``$GLUONBOOK_DATA``; MXNet's cache
    (``$MXNET_HOME/datasets/fashion-mnist``, default ``~/.mxnet/datasets/fashion-mnist``); Debian's
    ``/usr/share/datasets/fashion-mnist`` (``apt-get install dataset-fashion-mnist``); else a download into
    MXNet's cache. Every file is verified by the sha256 of its decompressed payload, so a copy recompressed by
    another mirror passes and other data never does. The splits are read once per process and kept in memory.

    Args:
        batch_size (int): examples per batch; the last batch of each split is partial.
        resize (int): resize the images to ``resize x resize`` pixels (bilinear); default: 28x28.
        root (str or path): a folder to look in first.
        ctx (mx.Context or str): where the batches are placed (``mx.gpu(0)``, ``'gpu:0'``); default: the CPU.

    Returns:
        ``(train_iter, test_iter)``: re-iterable, ``len()`` the number of batches (235 and 40 for a batch of 256).
        Each yields ``(X, y)``: ``X`` float32 ``(batch, 1, 28, 28)`` (or ``(batch, 1, resize, resize)``) with
        values in [0, 1], ``y`` float32 ``(batch,)`` with values 0 to 9 (float32, so it compares with
        ``net(X).argmax(axis=1)``). ``train_iter`` draws a new order every pass from MXNet's generator
        (``mx.random.seed`` makes it reproducible); ``test_iter`` never shuffles.

    Raises:
        ValueError: ``batch_size`` not a positive integer (numpy integers are), ``resize`` neither None nor a
            positive integer, ``ctx`` a GPU this machine does not have.
        DataMissingError: no verified copy anywhere and none could be downloaded; one line naming the file, its
            URL and hash, where to put a copy, and the remedies (``gluonbook data --fetch fashion-mnist``, or
            install the Debian package). DataError: ``root`` or ``$GLUONBOOK_DATA`` names no folder.

    Example:

    >>> train_iter, test_iter = gb.load_data_fashion_mnist(256)
    >>> X, y = next(iter(train_iter))
    >>> X.shape, X.dtype, y.shape, y.dtype
    ((256, 1, 28, 28), <class 'numpy.float32'>, (256,), <class 'numpy.float32'>)
    >>> len(train_iter), len(test_iter)
    (235, 40)

    License: Fashion-MNIST is copyright Zalando SE, released under the MIT license.
    """
    if resize is not None:
        resize = positive_int(resize, 'resize (a side length in pixels, or None)')
    train = DataLoader(*load_arrays(True, root), batch_size, shuffle=True, resize=resize, ctx=ctx)
    test = DataLoader(*load_arrays(False, root), batch_size, shuffle=False, resize=resize, ctx=ctx)
    return train, test


def positive_int(value, name):
    """``value`` as an ``int`` if it is a positive integer (numpy integers too), else a ``ValueError`` naming it."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 1:
        return int(value)
    raise ValueError(f'{name} must be a positive integer, got {value!r}')


def get_fashion_mnist_labels(labels):
    """The text labels of numeric Fashion-MNIST labels (a list, numpy array or NDArray of 0..9)."""
    if isinstance(labels, nd.NDArray):
        labels = labels.asnumpy()
    values = np.asarray(labels).ravel().tolist()  # Python numbers, so a message shows 11, not np.int64(11)
    bad = [v for v in values if not math.isfinite(v) or v != int(v) or not 0 <= v < len(TEXT_LABELS)]
    if bad:
        raise ValueError(f'Fashion-MNIST labels are integers 0..9, got {bad[0]!r}')
    return [TEXT_LABELS[int(v)] for v in values]


@dataclasses.dataclass(frozen=True)
class FileStatus:
    """Where one file of a dataset was found, as :func:`describe` reports it.

    ``verified`` tells whether a verified copy was found; then ``source`` names where (``'GLUONBOOK_DATA'``,
    ``'MXNet cache'``, ...) and ``path`` is the file; else ``problem`` says what was looked at and found wrong.
    ``str()`` gives the line ``python -m gluonbook data`` prints."""
    name: str
    verified: bool
    source: str = None
    path: str = None
    problem: str = None

    def __str__(self):
        if self.verified:
            return f'{self.name}: verified, from {self.source} ({self.path})'
        return f'{self.name}: no verified copy found'


def describe(root=None, dataset=FASHION_MNIST):
    """A :class:`FileStatus` per file of the dataset: which source supplied it and whether it verified. Never
    downloads."""
    statuses = []
    for key, spec in dataset.files.items():
        try:
            path, _, where = locate(key, root, dataset, download=False)  # a bad copy on the way is warned about
            statuses.append(FileStatus(spec.name, True, where, path))
        except DataError as e:
            statuses.append(FileStatus(spec.name, False, problem=str(e)))
    return statuses


__all__ = ['FashionMNIST', 'DataLoader', 'DataError', 'DataMissingError', 'FileStatus', 'load_data_fashion_mnist',
           'get_fashion_mnist_labels', 'describe', 'TEXT_LABELS', 'FASHION_MNIST']
