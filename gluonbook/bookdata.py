"""The book's data files as its chapters read them: ``../data/NAME`` and ``../img/NAME``, verified.

Every file is an entry of the registry (:mod:`gluonbook.datahub`), looked for and downloaded in one way. The small
ones ship inside the package (``gluonbook/book_data/``: the time machine text, the airfoil data, the Kaggle
house-price CSVs and CIFAR-10 demo archives, Penn Treebank, the French-English pairs, the Jay Chou lyrics and two
photographs); :func:`path` gives a verified copy. :func:`book_layout` lays them out as the book's repository does.

Example::

    >>> from gluonbook import bookdata
    >>> with open(bookdata.path('timemachine.txt')) as f:
    ...     text = f.read()
    >>> len(text)
    178979
"""
import os
import shutil
import tarfile
import zipfile

from . import datahub
from .datahub import BOOK_DATA, DataError  # noqa: F401 (gb.bookdata names)

# sha256 of each file shipped in gluonbook/book_data/ (the registry's entries with a ``shipped`` copy)
SHIPPED = {f.shipped: f.known_hash.partition(':')[2] for f in datahub.REGISTRY.values() if f.shipped}


def path(name):
    """The path of a verified copy of one of the book's shipped files.

    Args:
        name: the file's name as the chapters spell it after ``../data/`` or ``../img/``, e.g.
            ``'timemachine.txt'``, ``'airfoil_self_noise.dat'`` or ``'catdog.jpg'`` (``'data/ptb.zip'`` works too).

    Returns:
        str: a verified copy, looked for as every file of the registry is (``GLUONBOOK_DATA``, the book's
        ``../data``, MXNet's cache, then the package's own copy).

    Raises:
        KeyError: the book ships no such file (the message lists those it does).
        DataError: no copy verifies (a damaged installation: reinstall).
    """
    key = name if name in SHIPPED else next((k for k in SHIPPED if k.split('/', 1)[1] == name), None)
    if key is None:
        raise KeyError(f'the book ships no file {name!r}; shipped: '
                       f'{", ".join(k.split("/", 1)[1] for k in SHIPPED)}')
    return _verified(key)


def _verified(key):
    datafile = next(f for f in datahub.REGISTRY.values() if f.shipped == key)
    found = datahub.find(datafile)
    if found is None:
        raise DataError(f'{os.path.join(BOOK_DATA, key)} is missing from the installed package or damaged (its '
                        f'{datafile.known_hash} differs); reinstall gluonbook')
    return found.path


def book_layout(root):
    """Lay out the shipped files as the book's repository has them: ``root/data/NAME`` and ``root/img/NAME``.

    The chapters read ``../data/timemachine.txt`` relative to their own folder; with ``root`` the parent of
    that folder they find the package's verified copies (symbolic links where the system allows them, else
    copies). Existing files are left alone. Returns ``root``.

    Example::

        >>> gb.bookdata.book_layout('book')   # then run a chapter from book/chapter_optimization
        'book'
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
