"""The book's data files: the small ones shipped inside the package, the large ones downloaded once, verified.

The chapters read their data as ``../data/NAME`` and their images as ``../img/NAME``, relative to the notebook.
Here every file has a hash in a named table, and is checked when it is read:

- **Shipped** (:data:`SHIPPED`, a few MB in ``gluonbook/book_data/``): the time machine text, the airfoil data of
  the optimization chapter, the Kaggle house-price CSVs, Penn Treebank (``ptb.zip``), the small French-English
  file and the two photographs the computer-vision chapters draw on. :func:`path` gives a verified file;
  nothing is downloaded.
- **Downloaded** (:data:`REMOTE`): IMDB reviews, Pascal VOC2012, the Pikachu detection set and the Jay Chou
  lyrics. :func:`fetch` looks for a local copy first (``$GLUONBOOK_DATA``, then MXNet's cache
  ``$MXNET_HOME/datasets/NAME``, default ``~/.mxnet/datasets/NAME``), and failing that downloads into MXNet's
  cache with pooch, which checks the hash before the file is put in place. When a file can be had neither way,
  the error names the file, where it was looked for and how to supply it.

Example::

    >>> from gluonbook import bookdata
    >>> with open(bookdata.path('timemachine.txt')) as f:
    ...     text = f.read()
    >>> len(text)
    178979
"""
import dataclasses
import hashlib
import os
import shutil
import sys
import tarfile
import tempfile
import zipfile

import mxnet as mx

from .data import DataError

BOOK_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'book_data')

# sha256 of each file shipped in gluonbook/book_data/, as copied from the book's repository (d2l-ai/d2l-en at commit
# cfaf60b0): read back against this table, so a damaged or replaced copy is refused rather than trained on.
SHIPPED = {
    'data/airfoil_self_noise.dat': '74c75fd71783f1e6b71f8a622b993dc592897a97cd689c5090a07147a1b097b3',
    'data/timemachine.txt': '8424dbd9532ac81f7e5f0b6add90e6952baea29158309d7d1bf3884f4e12c516',
    'data/kaggle_house_pred_train.csv': '1e18addf81e5e4d347cc17ee6075bbe4a42b7fa26b9e5b063e8f692a5f929d41',
    'data/kaggle_house_pred_test.csv': '8fdd3d829d4d986b58f845c9553b225e67dd8383624d90fb6ca1d4bed5798c1e',
    'data/ptb.zip': '310d8f602882a5716613815ed75596e5764ea84ed04c5630eebaaf2b943ec5aa',
    'data/fr-en-small.txt': '2fbdf9bbb0dc1f31adb0af10a49c2aa9799de565e1d4bd71257a856d4dc9dbfc',
    'img/catdog.jpg': '7580ea4555a01bc18c3e1a21ae6b8099026634034a8a08b4fe443fbc9f849dd2',
    'img/cat1.jpg': 'be3040de58a5c818a725f03b5acc281423a6ed7fa1e58b2f94f60034656e600b',
}


@dataclasses.dataclass(frozen=True)
class RemoteFile:
    """One file the book downloads: its name, its hash (``'sha1:...'`` or ``'sha256:...'``), its mirrors, and
    the cache folder (``$MXNET_HOME/datasets/<folder>``) it is kept in."""
    name: str
    known_hash: str
    mirrors: tuple
    folder: str


_MXNET_S3 = 'https://apache-mxnet.s3-accelerate.amazonaws.com/gluon/dataset/'

# The larger data sets, with the hashes gluonbook 0.8.10 checked (sha1) or, where it had none, the sha256 of the
# book repository's copy.
REMOTE = {
    'imdb': RemoteFile('aclImdb_v1.tar.gz', 'sha1:01ada507287d82875905620988597833ad4e0903',
                       ('http://ai.stanford.edu/~amaas/data/sentiment/',), 'imdb'),
    'voc2012': RemoteFile('VOCtrainval_11-May-2012.tar', 'sha1:4e443f8a2eca6b1dac8a6c57641b67dd40621a49',
                          ('http://host.robots.ox.ac.uk/pascal/VOC/voc2012/',), 'voc'),
    'pikachu_train_rec': RemoteFile('train.rec', 'sha1:e6bcb6ffba1ac04ff8a9b1115e650af56ee969c8',
                                    (_MXNET_S3 + 'pikachu/',), 'pikachu'),
    'pikachu_train_idx': RemoteFile('train.idx', 'sha1:dcf7318b2602c06428b9988470c731621716c393',
                                    (_MXNET_S3 + 'pikachu/',), 'pikachu'),
    'pikachu_val_rec': RemoteFile('val.rec', 'sha1:d6c33f799b4d058e82f2cb5bd9a976f69d72d520',
                                  (_MXNET_S3 + 'pikachu/',), 'pikachu'),
    'jaychou_lyrics': RemoteFile(
        'jaychou_lyrics.txt.zip', 'sha256:3cfedd7d174111cdad5a27eaffaa6a2432a2842cf2590a03dd8a97610ea07043',
        ('https://raw.githubusercontent.com/d2l-ai/d2l-en/cfaf60b0a7908798fbf7d510ae9dc1e09ed4eb1a/data/',),
        'jaychou-lyrics'),
}

TIMEOUT = 30  # seconds a mirror may stay silent before its download is abandoned


def file_hash(filename, algorithm='sha256'):
    """The hex digest of a file's bytes, read in 1 MB blocks."""
    digest = hashlib.new(algorithm)
    with open(filename, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def _matches(filename, known_hash):
    algorithm, _, expected = known_hash.partition(':')
    return file_hash(filename, algorithm) == expected


def path(name):
    """The path of a verified copy of one of the book's shipped files.

    Args:
        name: the file's name as the chapters spell it after ``../data/`` or ``../img/``, e.g.
            ``'timemachine.txt'``, ``'airfoil_self_noise.dat'`` or ``'catdog.jpg'`` (``'data/ptb.zip'`` works too).

    Returns:
        str: an absolute path inside the installed package (read it, do not write to it).

    Raises:
        KeyError: the book ships no such file (the message lists those it does).
        DataError: the copy in the package does not match its sha256 (a damaged installation: reinstall).

    Example::

        >>> import pandas as pd
        >>> train = pd.read_csv(gb.bookdata.path('kaggle_house_pred_train.csv'))
    """
    key = name if name in SHIPPED else next((k for k in SHIPPED if k.split('/', 1)[1] == name), None)
    if key is None:
        raise KeyError(f'the book ships no file {name!r}; shipped: '
                       f'{", ".join(k.split("/", 1)[1] for k in SHIPPED)}')
    return _verified(key)


_checked = set()


def _verified(key):
    filename = os.path.join(BOOK_DATA, *key.split('/'))
    if filename not in _checked:
        if not os.path.exists(filename):
            raise DataError(f'{filename} is missing from the installed package; reinstall gluonbook')
        digest = file_hash(filename)
        if digest != SHIPPED[key]:
            raise DataError(f'{filename} is damaged (sha256 {digest}, expected {SHIPPED[key]}); reinstall gluonbook')
        _checked.add(filename)
    return filename


def book_layout(root):
    """Lay out the shipped files as the book's repository has them: ``root/data/NAME`` and ``root/img/NAME``.

    The chapters read ``../data/timemachine.txt`` relative to their own folder; with ``root`` the parent of
    that folder they find the package's verified copies (symbolic links where the system allows them, else
    copies). Existing files are left alone. Returns ``root``.

    Example::

        >>> gb.bookdata.book_layout('/tmp/book')   # then run a chapter from /tmp/book/chapter_optimization
    """
    for key in SHIPPED:
        target = os.path.join(root, *key.split('/'))
        if os.path.lexists(target):
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            os.symlink(_verified(key), target)
        except OSError:
            shutil.copyfile(_verified(key), target)
    return root


def cache_dir(folder):
    """MXNet's cache for one data set: ``$MXNET_HOME/datasets/<folder>`` (default ``~/.mxnet/datasets/...``)."""
    return os.path.join(mx.base.data_dir(), 'datasets', folder)


def fetch(key):
    """A verified local copy of one of the book's larger files, downloading it only if there is none.

    Args:
        key: a key of :data:`REMOTE`: ``'imdb'``, ``'voc2012'``, ``'pikachu_train_rec'``,
            ``'pikachu_train_idx'``, ``'pikachu_val_rec'`` or ``'jaychou_lyrics'``.

    Returns:
        str: the path of the file, whose hash has been checked.

    Looks in ``$GLUONBOOK_DATA`` and then in MXNet's cache (a copy that fails its hash is skipped); failing
    both, downloads from each mirror in turn with pooch into a temporary folder inside MXNet's cache, checks the
    hash, and only then moves the file into place. Raises ``DataError`` naming what was tried and the remedy.
    """
    spec = REMOTE[key]
    folders = ([os.path.expanduser(os.environ['GLUONBOOK_DATA'])] if os.environ.get('GLUONBOOK_DATA') else [])
    folders.append(cache_dir(spec.folder))
    problems = []
    for folder in folders:
        candidate = os.path.join(folder, spec.name)
        if os.path.exists(candidate):
            if _matches(candidate, spec.known_hash):
                return candidate
            problems.append(f'{candidate} does not match {spec.known_hash}: skipped')
    try:
        return _download(spec, cache_dir(spec.folder))
    except DataError as e:
        problems.append(str(e))
    details = ''.join(f'\n  - {p}' for p in problems)
    raise DataError(
        f'no usable copy of {spec.name} ({key}).{details}\nTo fix: download {spec.mirrors[0]}{spec.name} on a '
        f'machine that can reach it and put it in {cache_dir(spec.folder)} (or in a folder named by '
        f'GLUONBOOK_DATA); its hash must be {spec.known_hash}.')


def _download(spec, folder):
    import pooch

    try:
        os.makedirs(folder, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix='.download-', dir=folder)
    except OSError as e:
        raise DataError(f'cannot write to the cache folder {folder} ({e}); set MXNET_HOME to a writable folder, '
                        f'or GLUONBOOK_DATA to a folder that holds {spec.name}') from None
    failures = []
    pooch.get_logger().setLevel('WARNING')
    try:
        for mirror in spec.mirrors:
            url = mirror + spec.name
            print(f'downloading {spec.name} from {mirror}', file=sys.stderr, flush=True)
            try:
                downloaded = pooch.retrieve(url, known_hash=spec.known_hash, fname=spec.name, path=tmp,
                                            downloader=pooch.HTTPDownloader(progressbar=True, timeout=TIMEOUT))
            except Exception as e:  # noqa: BLE001 - any failure of a mirror: try the next one
                failures.append(f'{url}: {type(e).__name__}: {e}')
                continue
            target = os.path.join(folder, spec.name)
            os.replace(downloaded, target)
            return target
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    raise DataError(f'could not download {spec.name}:' + ''.join(f'\n  - {f}' for f in failures))


def extract(archive, into):
    """Unpack a .tar, .tar.gz or .zip archive into the folder ``into``; members that would land outside it are
    refused. Returns ``into``."""
    os.makedirs(into, exist_ok=True)
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as f:
            f.extractall(into)
    else:
        with tarfile.open(archive) as f:
            if hasattr(tarfile, 'data_filter'):
                f.extractall(into, filter='data')
            else:  # Python before 3.11.4: check the names ourselves
                base = os.path.realpath(into)
                for member in f.getmembers():
                    if not os.path.realpath(os.path.join(into, member.name)).startswith(base + os.sep):
                        raise DataError(f'{archive}: member {member.name!r} would be written outside {into}')
                f.extractall(into)
    return into


def mkdir_if_not_exist(path):
    """Create a folder (and its parents) unless it exists; ``path`` is a list of parts joined with
    ``os.path.join``, as the book calls it: ``gb.mkdir_if_not_exist([data_dir, 'train_valid_test'])``."""
    os.makedirs(os.path.join(*path), exist_ok=True)
