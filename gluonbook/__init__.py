"""gluonbook: the helpers of *Dive into Deep Learning* (MXNet/Gluon edition), on today's Python stack.

``import gluonbook as gb`` and call the book's helpers (``gb.load_data_fashion_mnist``, ``gb.train_ch3``, ...).

What this package changes outside itself is all in ``gluonbook_compat`` (its docstring lists each effect): before
MXNet 1.9.1 loads, the numpy names and ``distutils`` it needs on numpy >= 1.24 and Python >= 3.12 are put back where
missing, and its OpenBLAS is loaded with its AVX2 kernel. Installing gluonbook makes that happen at the first
``import mxnet`` of any program, so the order of imports does not matter.
"""
import gluonbook_compat

try:
    gluonbook_compat.import_mxnet()
except ImportError as e:
    raise ImportError(
        f'gluonbook needs MXNet 1.9.1, which could not be imported ({e}). Install it without its declared '
        'dependencies (gluonbook declares the ones it really needs): `pip install --no-deps mxnet==1.9.1` for the '
        'CPU, or the build matching your CUDA for a GPU, e.g. `pip install --no-deps mxnet-cu112==1.9.1`.') from e

from .data import DataError, FashionMNIST, data_iter, get_fashion_mnist_labels, load_data_fashion_mnist  # noqa: E402
from .devices import Benchmark, try_all_gpus, try_gpu  # noqa: E402
from .display import install_ipython_compat  # noqa: E402
from .training import History, accuracy, evaluate_accuracy, linreg, sgd, squared_loss, train, train_ch3, train_ch5  # noqa: E402

install_ipython_compat()

PLOTTING = ('Animator', 'plt', 'semilogy', 'set_figsize', 'show_fashion_mnist', 'show_images', 'use_svg_display')


def __getattr__(name):
    """The plotting helpers, loaded on first use: matplotlib takes 0.3 s to import, and scripts may not plot."""
    if name in PLOTTING:
        from . import plotting
        return getattr(plotting, name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


__version__ = '1.0.0'
__all__ = ['Animator', 'Benchmark', 'DataError', 'FashionMNIST', 'History', 'accuracy', 'data_iter',
           'evaluate_accuracy', 'get_fashion_mnist_labels', 'linreg', 'load_data_fashion_mnist', 'plt', 'semilogy',
           'set_figsize', 'sgd', 'show_fashion_mnist', 'show_images', 'squared_loss', 'train', 'train_ch3',
           'train_ch5', 'try_all_gpus', 'try_gpu', 'use_svg_display']
