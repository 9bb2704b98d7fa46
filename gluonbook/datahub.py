"""One registry of every file the book uses, one order to look for a copy, one way to download it.

Each file the book's sections read (Fashion-MNIST, MNIST, CIFAR-10, Pikachu, VOC2012, IMDB, hotdog, the
model-zoo weights, GloVe and fastText, the Kaggle demo archives, the small files shipped in this package) is a
:class:`DataFile` in :data:`REGISTRY`: its URLs, its hash, its size, the sections that use it, and where MXNet and the
book's code keep it. A copy is looked for, in this order (:func:`sources`):

1. the ``root`` argument; 2. the folder ``$GLUONBOOK_DATA``; 3. the book's own ``../data`` beside the running
section; 4. MXNet's cache (``$MXNET_HOME``, default ``~/.mxnet``); 5. this package's copy of the small files;
6. a Debian package (``dataset-fashion-mnist``); 7. a download.

Every copy is verified wherever it lies (a copy that fails is named in a warning and skipped, never used), and a
download is verified before it is moved into place (pooch: temporary file, retries, timeout, progress bar).
:func:`mxnet_download` is what ``mxnet.gluon.utils.download`` becomes when gluonbook's start-up hook routes it
here: the model zoo, MXNet's data sets, ``contrib.text`` and the book's own section code then get a verified
local copy where there is one, and one line of :class:`DataMissingError` offline where there is none.

Example::

    >>> from gluonbook import datahub
    >>> datahub.REGISTRY['pikachu/train.rec'].sections
    ('object-detection-dataset', 'ssd')
    >>> path = datahub.path('timemachine.txt')     # a verified copy, found or downloaded
"""
import contextlib
import dataclasses
import gzip
import hashlib
import os
import shutil
import sys
import time
import warnings
import zipfile

from .files import write_atomically

TIMEOUT = 30  # seconds a mirror may stay silent before a try is abandoned
TRIES = 3  # tries per mirror (pooch pauses 1 s, then 2 s, between them); a missing or wrong file is not asked again
STALE = 3600  # seconds after which a temporary download file is taken as left by a killed process
BOOK_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'book_data')
FETCH_HINT = 'gluonbook data --fetch'


class DataError(ValueError):
    """A data file is missing, malformed or not the file it claims to be."""


class DataMissingError(DataError):
    """No verified copy of a registered file anywhere, and none could be downloaded. The message is one line."""


class DataWarning(UserWarning):
    """A copy that fails verification was skipped."""


@dataclasses.dataclass(frozen=True)
class DataFile:
    """One file the book uses.

    ``name`` the registry key; ``filename`` as MXNet or the book's code saves it; ``url`` the URL MXNet or the
    book's code asks for (a routed download is matched by it, or by its file name plus ``mxnet_sha1``);
    ``mirrors`` the URLs tried in turn to download it; ``known_hash`` how a copy is verified (``'sha1:...'`` or
    ``'sha256:...'``, of the file's bytes, of its decompressed bytes when ``payload`` is ``'gunzip'``, of the
    file as a git blob, git's object id, when it is ``'gitblob'``);
    ``size`` in bytes (None if unknown); ``sections`` the book's sections that use it; ``cache_path`` where it
    is kept under ``$MXNET_HOME`` (MXNet's own place for the files MXNet knows); ``book_path`` where the book's
    code keeps it, relative to the book's folder (``data/...``); ``shipped`` its path inside
    ``gluonbook/book_data``; ``debian_path`` and ``package`` a Debian package's copy; ``served_as`` ``'zip'``
    when the URLs serve a zip archive holding ``filename`` (the model zoo); ``mxnet_sha1`` the sha1 that callers
    of ``gluon.utils.download`` pass for it."""
    name: str
    filename: str
    url: str
    mirrors: tuple = ()
    known_hash: str = None
    size: int = None
    sections: tuple = ()
    cache_path: str = None
    book_path: str = None
    shipped: str = None
    debian_path: str = None
    package: str = None
    payload: str = 'file'
    served_as: str = 'file'
    mxnet_sha1: str = None

    @property
    def folder_path(self):
        """Its path in a folder laid out as ``gluonbook data --to`` writes it: the name's folder, then the file."""
        return os.path.join(os.path.dirname(self.name), self.filename)


REGISTRY = {}


def register(datafile):
    """Add or replace one entry of :data:`REGISTRY` (a classroom's own mirror, or a test's stand-in)."""
    REGISTRY[datafile.name] = datafile
    return datafile


# ---------------------------------------------------------------------------------------------------------------
# The registry

MXNET_REPO = 'https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/'
MXNET_S3 = 'https://apache-mxnet.s3-accelerate.amazonaws.com/'  # the host the book's own code names
D2L_EN = 'https://raw.githubusercontent.com/d2l-ai/d2l-en/cfaf60b0a7908798fbf7d510ae9dc1e09ed4eb1a/'
D2L_ZH = 'https://raw.githubusercontent.com/d2l-ai/d2l-zh/v1.0.0/'
FASHION_MIRRORS = ('http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
                   MXNET_REPO + 'gluon/dataset/fashion-mnist/',
                   'https://storage.googleapis.com/tensorflow/tf-keras-datasets/')
FASHION_SECTIONS = ('fashion-mnist', 'softmax-regression-scratch', 'softmax-regression-gluon', 'mlp-scratch',
                    'mlp-gluon', 'dropout', 'lenet', 'alexnet', 'vgg', 'nin', 'googlenet', 'batch-norm', 'resnet',
                    'densenet')

# name, file, size, sha256 of the decompressed IDX payload, sha1 of MXNet's compressed copy
for _stem, _file, _size, _sha256, _sha1 in (
        ('train-images', 'train-images-idx3-ubyte.gz', 26421880,
         'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
         '0cf37b0d40ed5169c6b3aba31069a9770ac9043d'),
        ('train-labels', 'train-labels-idx1-ubyte.gz', 29515,
         'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
         '236021d52f1e40852b06a4c3008d8de8aef1e40b'),
        ('t10k-images', 't10k-images-idx3-ubyte.gz', 4422102,
         '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
         '626ed6a7c06dd17c0eec72fa3be1740f146a2863'),
        ('t10k-labels', 't10k-labels-idx1-ubyte.gz', 5148,
         '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
         '17f9ab60e7257a1620f4ad76bbbaf857c3920701')):
    register(DataFile(
        f'fashion-mnist/{_stem}', _file, MXNET_REPO + 'gluon/dataset/fashion-mnist/' + _file,
        tuple(m + _file for m in FASHION_MIRRORS), 'sha256:' + _sha256, _size, FASHION_SECTIONS,
        cache_path=f'datasets/fashion-mnist/{_file}', debian_path=f'/usr/share/datasets/fashion-mnist/{_file}',
        package='dataset-fashion-mnist', payload='gunzip', mxnet_sha1=_sha1))

for _stem, _file, _size, _sha1 in (
        ('train-images', 'train-images-idx3-ubyte.gz', 9912422, '6c95f4b05d2bf285e1bfb0e7960c31bd3b3f8a7d'),
        ('train-labels', 'train-labels-idx1-ubyte.gz', 28881, '2a80914081dc54586dbdf242f9805a6b8d2a15fc'),
        ('t10k-images', 't10k-images-idx3-ubyte.gz', 1648877, 'c3a25af1f52dad7f726cce8cacb138654b760d48'),
        ('t10k-labels', 't10k-labels-idx1-ubyte.gz', 4542, '763e7fa3757d93b0cdec073cef058b2004252c17')):
    _url = MXNET_REPO + 'gluon/dataset/mnist/' + _file
    register(DataFile(f'mnist/{_stem}', _file, _url, (_url,), 'sha1:' + _sha1, _size, ('naive-bayes',),
                      cache_path=f'datasets/mnist/{_file}', mxnet_sha1=_sha1))


def _book(name, folder, url, sha1, size, sections, book_path=None):
    """A file the book's own code downloads with ``gutils.download(url, ..., sha1_hash=sha1)``."""
    filename = url.rsplit('/', 1)[1]
    mirrors = (url, url.replace(MXNET_S3, MXNET_REPO)) if url.startswith(MXNET_S3) else (url,)
    return register(DataFile(name, filename, url, mirrors, 'sha1:' + sha1, size, sections,
                             cache_path=f'datasets/{folder}/{filename}', book_path=book_path or f'data/{filename}',
                             mxnet_sha1=sha1))


_url = MXNET_REPO + 'gluon/dataset/cifar10/cifar-10-binary.tar.gz'
register(DataFile('cifar10/cifar-10-binary.tar.gz', 'cifar-10-binary.tar.gz', _url, (_url,),
                  'sha1:fab780a1e191a7eda0f345501ccd62d20f7ed891', 170052171, ('image-augmentation',),
                  cache_path='datasets/cifar10/cifar-10-binary.tar.gz',
                  mxnet_sha1='fab780a1e191a7eda0f345501ccd62d20f7ed891'))
for _file, _sha1 in (('train.rec', 'e6bcb6ffba1ac04ff8a9b1115e650af56ee969c8'),
                     ('train.idx', 'dcf7318b2602c06428b9988470c731621716c393'),
                     ('val.rec', 'd6c33f799b4d058e82f2cb5bd9a976f69d72d520')):
    _book(f'pikachu/{_file}', 'pikachu', MXNET_S3 + 'gluon/dataset/pikachu/' + _file, _sha1, None,
          ('object-detection-dataset', 'ssd'), book_path=f'data/pikachu/{_file}')
_book('hotdog.zip', 'hotdog', MXNET_S3 + 'gluon/dataset/hotdog.zip', 'fba480ffa8aa7e0febbb511d181409f899b9baa5',
      None, ('fine-tuning',))
_book('voc/VOCtrainval_11-May-2012.tar', 'voc',
      'http://host.robots.ox.ac.uk/pascal/VOC/voc2012/VOCtrainval_11-May-2012.tar',
      '4e443f8a2eca6b1dac8a6c57641b67dd40621a49', 1999639040, ('semantic-segmentation-and-dataset', 'fcn'))
_book('imdb/aclImdb_v1.tar.gz', 'imdb', 'http://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz',
      '01ada507287d82875905620988597833ad4e0903', 84125825, ('sentiment-analysis-rnn', 'sentiment-analysis-cnn'))

# The model-zoo weights the book loads with model_zoo.vision.NAME(pretrained=True): MXNet asks for NAME-HASH.zip
# and keeps the NAME-HASH.params inside it, checked against this sha1.
for _model, _sha1, _sections in (
        ('resnet18_v2', 'a81db45fd7b7a2d12ab97cd88ef0a5ac48b8f657', ('fine-tuning', 'fcn')),
        ('resnet34_v2', '9d6b80bbc35169de6b6edecffdd6047c56fdd322', ('kaggle-gluon-dog',)),
        ('vgg19', 'ad2f660d101905472b83590b59708b71ea22b2e5', ('neural-style',))):
    _file = f'{_model}-{_sha1[:8]}'
    _url = f'{MXNET_REPO}gluon/models/{_file}.zip'
    register(DataFile(f'model/{_model}', _file + '.params', _url, (_url,), 'sha1:' + _sha1, None, _sections,
                      cache_path=f'models/{_file}.params', served_as='zip'))

# The word embeddings, as mxnet.contrib.text.embedding downloads them (the archive; MXNet unpacks it).
for _cls, _file, _sha1, _size, _sections in (
        ('glove', 'glove.6B.zip', 'b64e54f1877d2f735bdd000c1d7d771e25c7dfdc', 862182613,
         ('similarity-analogy', 'sentiment-analysis-rnn', 'sentiment-analysis-cnn')),
        ('fasttext', 'wiki.simple.zip', '367737535e39defb0e713a7ff2374cb932c5a9bc', None,
         ('similarity-analogy (its problems)',))):
    _url = f'{MXNET_REPO}gluon/embeddings/{_cls}/{_file}'
    register(DataFile(f'{_cls}/{_file}', _file, _url, (_url,), 'sha1:' + _sha1, _size, _sections,
                      cache_path=f'embeddings/{_cls}/{_file}', mxnet_sha1=_sha1))

# The small files this package ships (gluonbook/book_data/), with the sha256 of the book repository's copy.
for _path, _size, _sha256, _sections, _origin in (
        ('data/airfoil_self_noise.dat', 59984, '74c75fd71783f1e6b71f8a622b993dc592897a97cd689c5090a07147a1b097b3',
         ('minibatch-sgd', 'momentum', 'adagrad', 'rmsprop', 'adadelta', 'adam'), D2L_EN),
        ('data/timemachine.txt', 178979, '8424dbd9532ac81f7e5f0b6add90e6952baea29158309d7d1bf3884f4e12c516',
         ('lang-model-dataset', 'rnn-scratch', 'rnn-gluon', 'gru', 'lstm'), D2L_EN),
        ('data/kaggle_house_pred_train.csv', 460676,
         '1e18addf81e5e4d347cc17ee6075bbe4a42b7fa26b9e5b063e8f692a5f929d41', ('kaggle-house-price',), D2L_EN),
        ('data/kaggle_house_pred_test.csv', 451405,
         '8fdd3d829d4d986b58f845c9553b225e67dd8383624d90fb6ca1d4bed5798c1e', ('kaggle-house-price',), D2L_EN),
        ('data/ptb.zip', 1981551, '310d8f602882a5716613815ed75596e5764ea84ed04c5630eebaaf2b943ec5aa',
         ('word2vec-gluon',), D2L_EN),
        ('data/fr-en-small.txt', 806, '2fbdf9bbb0dc1f31adb0af10a49c2aa9799de565e1d4bd71257a856d4dc9dbfc',
         ('machine-translation',), D2L_EN),
        ('data/kaggle_cifar10/train_tiny.zip', 236390,
         '5db5f98af804a2d503503004b445c7b7998adc0554170c1ebc36e4f467562cd1', ('kaggle-gluon-cifar10',), D2L_EN),
        ('data/kaggle_cifar10/test_tiny.zip', 2520,
         '79dcd38df5e5c014407b61cb35624f63ee696239e1952dc2f8138c32fd31c3ff', ('kaggle-gluon-cifar10',), D2L_EN),
        ('data/kaggle_cifar10/trainLabels.csv.zip', 149042,
         '96d621607bba97d83ae7fac5b2f94bee91e50f4d9be00453e77313459c865b61', ('kaggle-gluon-cifar10',), D2L_EN),
        ('img/catdog.jpg', 32576, '7580ea4555a01bc18c3e1a21ae6b8099026634034a8a08b4fe443fbc9f849dd2',
         ('bounding-box', 'anchor', 'multiscale-object-detection'), D2L_EN),
        ('img/cat1.jpg', 53081, 'be3040de58a5c818a725f03b5acc281423a6ed7fa1e58b2f94f60034656e600b',
         ('image-augmentation',), D2L_EN)):
    _name = _path.split('/', 1)[1] if _path.startswith('data/') else _path
    register(DataFile(_name, os.path.basename(_path), _origin + _path, (_origin + _path,), 'sha256:' + _sha256,
                      _size, _sections, cache_path=f'datasets/book/{_path}', book_path=_path, shipped=_path))

# Jay Chou's lyrics, the Chinese edition's RNN corpus: in that edition's repository beside the sections (../data),
# or downloaded from it; not shipped with this package.
_path = 'data/jaychou_lyrics.txt.zip'
register(DataFile('jaychou_lyrics.txt.zip', 'jaychou_lyrics.txt.zip', D2L_ZH + _path, (D2L_ZH + _path,),
                  'sha256:3cfedd7d174111cdad5a27eaffaa6a2432a2842cf2590a03dd8a97610ea07043', 52607,
                  ('lang-model-dataset', 'rnn-scratch', 'rnn-gluon', 'gru', 'lstm'),
                  cache_path=f'datasets/book/{_path}', book_path=_path))

# The Kaggle dog-breed demo archive the book's kaggle-gluon-dog section reads from ../data (not shipped: its bytes
# are not in the book's repository as fetched here); verified by its id in the book's git repository.
_path = 'data/kaggle_dog/train_valid_test_tiny.zip'
register(DataFile('kaggle_dog/train_valid_test_tiny.zip', 'train_valid_test_tiny.zip', D2L_EN + _path,
                  (D2L_EN + _path,), 'sha1:80d196a14338c8074b8b2a61db40e9402ac4d12d', None, ('kaggle-gluon-dog',),
                  cache_path=f'datasets/book/{_path}', book_path=_path, payload='gitblob'))


# ---------------------------------------------------------------------------------------------------------------
# Where copies live

def mxnet_home():
    """MXNet's cache folder, read at every call: ``$MXNET_HOME``, default ``~/.mxnet``."""
    import mxnet as mx
    return os.path.expanduser(mx.base.data_dir())


def data_folder(value, what):
    """``value`` (a ``root=`` argument or ``$GLUONBOOK_DATA``) as a folder path; a ``DataError`` if it names a
    missing folder or a file."""
    folder = os.path.expanduser(os.fspath(value))
    if not os.path.isdir(folder):
        kind = 'a file, not a folder' if os.path.exists(folder) else 'not an existing folder'
        unset = ', or unset it' if what.startswith('GLUONBOOK_DATA') else ''
        raise DataError(f'{what}{folder} is {kind}; give a folder that holds the data files{unset}')
    return folder


def folder_copies(folder, datafile):
    """The paths a copy may have in a data folder: laid out as the registry names it, or flat."""
    return [os.path.join(folder, datafile.folder_path), os.path.join(folder, datafile.filename)]


def sources(datafile, root=None):
    """The places a copy of ``datafile`` is looked for, in order, as ``(where, path)`` pairs."""
    found = []
    if root is not None:
        found += [('root argument', p) for p in folder_copies(data_folder(root, 'root='), datafile)]
    if os.environ.get('GLUONBOOK_DATA'):
        folder = data_folder(os.environ['GLUONBOOK_DATA'], 'GLUONBOOK_DATA=')
        found += [('GLUONBOOK_DATA', p) for p in folder_copies(folder, datafile)]
    if datafile.book_path:
        found.append(("the book's ../data", os.path.join(os.path.dirname(os.getcwd()), datafile.book_path)))
    if datafile.cache_path:
        found.append(('MXNet cache', os.path.join(mxnet_home(), datafile.cache_path)))
    if datafile.shipped:
        found.append(('gluonbook package', os.path.join(BOOK_DATA, datafile.shipped)))
    if datafile.debian_path:
        found.append((f'Debian package {datafile.package}', datafile.debian_path))
    unique = []
    for where, path in found:  # a flat name equal to the laid-out one, or a cwd whose parent is the root
        if path not in [p for _, p in unique]:
            unique.append((where, path))
    return unique


def file_digest(path, algorithm='sha256', gunzip=False, gitblob=False):
    """The hex digest of a file's bytes (or of its decompressed bytes, or of it as a git blob: ``blob SIZE\\0``
    then its bytes, git's object id), read in 1 MB blocks."""
    digest = hashlib.new(algorithm)
    if gitblob:
        digest.update(b'blob %d\0' % os.path.getsize(path))
    with (gzip.open(path) if gunzip else open(path, 'rb')) as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


_verified = {}  # (path, size, mtime, hash) of copies verified in this process: a 2 GB file is hashed once


def check(path, datafile):
    """Verify one copy; returns the path, or raises ``DataError`` naming the file and what is wrong."""
    algorithm, _, expected = datafile.known_hash.partition(':')
    stat = os.stat(path)
    key = (os.path.realpath(path), stat.st_size, stat.st_mtime_ns, datafile.known_hash, datafile.payload)
    if key in _verified:
        return path
    try:
        digest = file_digest(path, algorithm, datafile.payload == 'gunzip', datafile.payload == 'gitblob')
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise DataError(f'{path}: not a readable {"gzip " if datafile.payload == "gunzip" else ""}file ({e})') \
            from None
    if digest != expected:
        what = {'gunzip': 'of the decompressed data ', 'gitblob': 'of the git blob '}.get(datafile.payload, '')
        raise DataError(f'{path}: contents do not match {datafile.name} ({algorithm} {what}is {digest}, expected '
                        f'{expected}); it is another file or a damaged copy')
    _verified[key] = True
    return path


@dataclasses.dataclass(frozen=True)
class Found:
    """A verified copy: its ``path``, ``where`` it was found, and what the ``read`` function made of it."""
    path: str
    where: str
    value: object = None


def foreign(path, datafile):
    """True for a flat-named file that is another entry's (MNIST's ``train-images-idx3-ubyte.gz`` in a folder
    searched for Fashion-MNIST's): not a bad copy of this one."""
    if os.path.normpath(path).endswith(os.path.normpath(datafile.folder_path)):
        return False
    others = [f for f in REGISTRY.values() if f.filename == datafile.filename and f.name != datafile.name]
    return any(verifies(path, other) for other in others)


def verifies(path, datafile):
    """Whether ``path`` is a verified copy of ``datafile`` (no warning, no error)."""
    try:
        return bool(check(path, datafile))
    except (DataError, OSError):
        return False


def find(name_or_file, root=None, read=None, warn=True):
    """The first verified copy of a file in :func:`sources`, as a :class:`Found`, or None. Never downloads.

    ``read(path)`` verifies a copy and returns what is wanted of it (default: :func:`check`). A copy that fails
    is named in a :class:`DataWarning` and skipped."""
    datafile = entry(name_or_file)
    read = read or (lambda path: check(path, datafile))
    for where, path in sources(datafile, root):
        if not os.path.isfile(path):
            continue
        try:
            return Found(path, where, read(path))
        except DataError as e:
            if warn and not foreign(path, datafile):
                warnings.warn(f'skipping a bad copy: {e}', DataWarning, stacklevel=2)
    return None


def locate(name_or_file, root=None, read=None, download=True):
    """A verified copy of a registered file, found (:func:`find`) or downloaded into MXNet's cache.

    Returns a :class:`Found`; raises :class:`DataMissingError` (one line: the file, its size, its sections, its
    URL, its hash, where to put it, the command that fetches it) when there is none."""
    datafile = entry(name_or_file)
    found = find(datafile, root, read)
    if found is not None:
        return found
    if not download:
        raise missing(datafile)
    target = os.path.join(mxnet_home(), datafile.cache_path or os.path.join('datasets', datafile.folder_path))
    try:
        path, value = fetch(datafile, target, read)
    except DataError as e:
        raise missing(datafile, e) from None
    return Found(path, 'download', value)


def path(name):
    """The path of a verified copy of a registered file (found, or downloaded once); see :func:`locate`."""
    return locate(name).path


def paths(*names, root=None):
    """The paths of verified copies of several files, found or downloaded; one :class:`DataMissingError` naming
    every file that has no copy (and the one command that fetches them all)."""
    found, lacking = [], []
    for name in names:
        try:
            found.append(locate(name, root).path)
        except DataMissingError as e:
            lacking.append((entry(name), e))
    if len(lacking) == 1:
        raise lacking[0][1]
    if lacking:
        files = [f for f, _ in lacking]
        total = sum(f.size or 0 for f in files) if all(f.size for f in files) else None
        raise DataMissingError(
            f'no verified copy of {len(files)} files ({", ".join(f.name for f in files)}, {human_size(total)}, '
            f'used by {", ".join(dict.fromkeys(s for f in files for s in f.sections))}): download '
            f'{" ".join(f.url + " (" + f.known_hash + ")" for f in files)} and put them in '
            f'{" ".join(os.path.join(mxnet_home(), f.cache_path) for f in files)}, or run: {FETCH_HINT} '
            f'{" ".join(f.name for f in files)}')
    return found


def entry(name_or_file):
    """The :class:`DataFile` itself, or the registry's entry of that name (a ``KeyError`` naming close ones)."""
    if isinstance(name_or_file, DataFile):
        return name_or_file
    if name_or_file in REGISTRY:
        return REGISTRY[name_or_file]
    close = [n for n in REGISTRY if name_or_file.split('/')[-1] in n]
    raise KeyError(f'no file {name_or_file!r} in the registry' + (f'; did you mean {", ".join(close)}?' if close
                   else '; `gluonbook data` lists every name'))


def human_size(size):
    if size is None:
        return 'size unknown'
    for unit in ('bytes', 'kB', 'MB', 'GB'):
        if size < 1000 or unit == 'GB':
            return f'{size:.0f} {unit}' if unit == 'bytes' else f'{size:.1f} {unit}'
        size /= 1000


def missing(datafile, problem=None, advise_package=True):
    """The one-line :class:`DataMissingError` for a file with no verified copy."""
    where = os.path.join(mxnet_home(), datafile.cache_path) if datafile.cache_path else None
    put = ' or '.join(filter(None, [where, f'$GLUONBOOK_DATA/{datafile.folder_path}']))
    debian = f', or apt-get install {datafile.package}' if datafile.package and advise_package else ''
    reason = f' ({" ".join(str(problem).split())[:600]})' if problem else ''
    return DataMissingError(
        f'no verified copy of {datafile.name} ({datafile.filename}, {human_size(datafile.size)}, used by '
        f'{", ".join(datafile.sections) or "the book"}){reason}: download {datafile.url} ({datafile.known_hash}) '
        f'and put it in {put}, or run: {FETCH_HINT} {datafile.name}{debian}')


# ---------------------------------------------------------------------------------------------------------------
# Downloads

class MirrorRefused(Exception):
    """A mirror answered, but not with the file (a 4xx status, or a file that fails verification): asking it
    again will not help. Not a ``ValueError`` nor a ``requests`` error, so pooch does not retry it."""


class VerifyingDownloader:
    """pooch's ``HTTPDownloader`` (timeout, progress bar), then ``read`` on what it wrote.

    pooch calls it with a temporary file beside the destination and moves that file into place only if the call
    returns: only a verified copy ever reaches the final path. (pooch's own hash check is not used: some hashes are
    of the decompressed payload, the same for every mirror's compression of it.) For ``served_as='zip'`` the
    member ``filename`` is taken out of the archive the mirror serves."""

    def __init__(self, datafile, read, timeout):
        import pooch
        self.datafile, self.read = datafile, read
        self.http = pooch.HTTPDownloader(progressbar=True, timeout=timeout)
        self.value = None

    def __call__(self, url, output_file, pooch_instance, check_only=False):
        import requests
        archive = f'{output_file}.zip' if self.datafile.served_as == 'zip' else output_file
        try:
            self.http(url, archive, pooch_instance)
            if archive != output_file:
                try:
                    with zipfile.ZipFile(archive) as z, z.open(self.datafile.filename) as member, \
                            open(output_file, 'wb') as out:
                        shutil.copyfileobj(member, out)
                except (zipfile.BadZipFile, KeyError) as e:
                    raise MirrorRefused(f'not a zip holding {self.datafile.filename} ({e})') from None
        except requests.HTTPError as e:
            if e.response is not None and e.response.status_code < 500:
                raise MirrorRefused(f'HTTPError: {e}') from None
            raise  # a server error: pooch tries again
        except requests.ConnectionError as e:
            if unreachable(e):  # offline, or nothing listens there: trying again will not help
                raise MirrorRefused(unreachable(e)) from None
            raise
        finally:
            if archive != output_file and os.path.exists(archive):
                os.remove(archive)
        try:
            self.value = self.read(output_file)
        except DataError as e:
            raise MirrorRefused(f'DataError: {e}') from None


def unreachable(error):
    """A short reason if a connection error means the host cannot be reached at all, else None."""
    text = str(error)
    for marker, reason in (('Failed to resolve', 'cannot resolve the host name (offline?)'),
                           ('Name or service not known', 'cannot resolve the host name (offline?)'),
                           ('Connection refused', 'connection refused'),
                           ('Network is unreachable', 'network is unreachable (offline?)')):
        if marker in text:
            return f'{type(error).__name__}: {reason}'
    return None


@contextlib.contextmanager
def _logger_level(logger, level):
    """``logger`` at ``level`` inside the block, at its own level again after it."""
    previous = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(previous)


def fetch(datafile, target, read=None, mirrors=None):
    """Download ``datafile`` to the path ``target`` from the first mirror that serves a verified copy; returns
    ``(path, value)`` with ``value`` what ``read(path)`` returned (default: :func:`check`).

    pooch does the work: a temporary file beside the target, ``TRIES`` tries per mirror with a growing pause
    between them, the file moved into place only once verified. A copy already at ``target`` (say, put there
    meanwhile by another process) is used if it verifies and replaced if it does not; temporary files a killed
    process left are removed. Raises ``DataError`` listing each mirror's failure."""
    import pooch
    import requests

    read = read or (lambda p: check(p, datafile))
    folder, name = os.path.split(os.path.abspath(target))
    try:
        os.makedirs(folder, exist_ok=True)
        _remove_stale_downloads(folder)
        if os.path.exists(target):
            try:
                return target, read(target)
            except DataError:
                os.remove(target)  # pooch would take it as the file: only a verified copy may stay
    except OSError as e:
        raise DataError(f'cannot write to the cache folder {folder} ({e}); set MXNET_HOME to a writable '
                        f'folder, or GLUONBOOK_DATA to a folder that holds the files') from None
    failures = []
    with _logger_level(pooch.get_logger(), 'WARNING'):  # one line per mirror below says what is downloaded
        for url in mirrors or datafile.mirrors:
            print(f'downloading {datafile.filename} from {url}', file=sys.stderr, flush=True)
            cache = pooch.create(path=folder, base_url='', registry={name: None}, urls={name: url},
                                 retry_if_failed=TRIES - 1)
            downloader = VerifyingDownloader(datafile, read, TIMEOUT)
            try:
                downloaded = cache.fetch(name, downloader=downloader)
                return downloaded, downloader.value if downloader.value is not None else read(downloaded)
            except MirrorRefused as e:
                failures.append(f'{url}: {e}')
            except (requests.RequestException, ValueError, OSError) as e:
                failures.append(f'{url} ({TRIES} tries): {type(e).__name__}: {e}')
    raise DataError(f'could not download {datafile.filename}:' + ''.join(f'\n  - {f}' for f in failures))


def _remove_stale_downloads(folder):
    """Remove the temporary download files (pooch names them ``tmp*``) that a killed process left behind."""
    now = time.time()
    for name in os.listdir(folder):
        file = os.path.join(folder, name)
        if name.startswith('tmp') and os.path.isfile(file) and now - os.path.getmtime(file) > STALE:
            os.remove(file)


def place(source, target):
    """Put a copy of the file ``source`` at ``target`` whole or not at all (a hard link where it can be)."""
    os.makedirs(os.path.dirname(os.path.abspath(target)) or '.', exist_ok=True)
    if os.path.abspath(source) == os.path.abspath(target):
        return target

    def copy(tmp):
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)
    return write_atomically(target, copy)


# ---------------------------------------------------------------------------------------------------------------
# MXNet's downloads, routed here

def _tail(url):
    return '/'.join(url.rstrip('/').split('/')[-2:])


def match(url, sha1_hash=None):
    """The registry's entry for a URL asked of ``gluon.utils.download``, or None.

    The URL itself or one of its mirrors; else, for MXNet's repository (``.../gluon/...``) under another host
    (``MXNET_GLUON_REPO``), the same last two parts of the path (``models/resnet18_v2-a81db45f.zip``); else its file
    name with the sha1 the caller passes. A sha1 that
    disagrees with the entry's means another file: not matched."""
    for datafile in REGISTRY.values():
        hashes = {datafile.mxnet_sha1, datafile.known_hash.partition(':')[2]} - {None}
        if sha1_hash and sha1_hash not in hashes:
            continue
        if url == datafile.url or url in datafile.mirrors:
            return datafile
        if '/gluon/' in url and _tail(url) in {_tail(u) for u in (datafile.url, *datafile.mirrors) if '/gluon/' in u}:
            return datafile  # MXNet's repository under another host (MXNET_GLUON_REPO)
        if sha1_hash and url.rsplit('/', 1)[-1] == datafile.url.rsplit('/', 1)[-1]:
            return datafile
    return None


def mxnet_download(download, url, path=None, overwrite=False, sha1_hash=None, retries=5, verify_ssl=True):
    """``mxnet.gluon.utils.download`` through the registry (``download`` is MXNet's own).

    For a registered file: a verified copy is put where the caller expects it (``path`` as in MXNet: a folder, a
    file name, or None for the current folder) and that path returned; with no local copy it is downloaded,
    verified, with a progress bar; with neither, :class:`DataMissingError`. Any other URL goes to ``download``
    unchanged."""
    datafile = match(url, sha1_hash)
    if datafile is None:
        return download(url, path=path, overwrite=overwrite, sha1_hash=sha1_hash, retries=retries,
                        verify_ssl=verify_ssl)
    name = url.split('/')[-1]
    if path is None:
        target = name
    else:
        path = os.path.expanduser(path)
        target = os.path.join(path, name) if os.path.isdir(path) else path
    if datafile.served_as == 'zip':  # the model zoo: a zip holding the .params, which MXNet unpacks and checks
        params = locate(datafile).path

        def pack(tmp):
            with zipfile.ZipFile(tmp, 'w', zipfile.ZIP_STORED) as z:
                z.write(params, datafile.filename)
        os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
        return write_atomically(target, pack)
    if not overwrite and os.path.isfile(target):
        try:
            return check(target, datafile)
        except DataError:
            pass  # replaced below by a verified copy
    found = find(datafile)
    if found is not None:
        return place(found.path, target)
    try:
        fetch(datafile, target)
    except DataError as e:
        raise missing(datafile, e) from None
    if datafile.cache_path and not os.path.exists(cached := os.path.join(mxnet_home(), datafile.cache_path)):
        with contextlib.suppress(OSError):
            place(target, cached)  # a link where it can be: found next time, whatever folder asks
    return target
