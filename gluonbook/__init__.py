"""gluonbook: the helpers of *Dive into Deep Learning* (MXNet/Gluon edition), on today's Python stack.

``import gluonbook as gb`` and call the book's helpers (``gb.load_data_fashion_mnist``, ``gb.train_ch3``, ...).

What this package changes outside itself is all in ``gluonbook_compat`` (its docstring lists each effect): before
MXNet 1.9.1 loads, the numpy names and ``distutils`` it needs on numpy >= 1.24 and Python >= 3.12 are put back where
missing, and its OpenBLAS is loaded with its AVX2 kernel. Installing gluonbook makes that happen at the first
``import mxnet`` of any program, so the order of imports does not matter.

Importing gluonbook also changes two names in other libraries, so that the book's own programs run unchanged:
``mxnet.gluon.data.vision.FashionMNIST`` becomes a class that reads the verified local copy
(``gluonbook/mxnet_datasets.py``: MXNet's own class refuses Debian's copy and tries the network), and
``IPython.display.set_matplotlib_formats``, which IPython 9 removed, is put back (``gluonbook/display.py``).
"""
import gluonbook_compat

try:
    gluonbook_compat.import_mxnet()
except ImportError as e:
    raise ImportError(
        f'gluonbook needs MXNet 1.9.1, which could not be imported ({e}). Install it without its declared '
        'dependencies (gluonbook declares the ones it really needs): `pip install --no-deps mxnet==1.9.1` for the '
        'CPU, or the build matching your CUDA for a GPU, e.g. `pip install --no-deps mxnet-cu112==1.9.1`.') from e

from . import callbacks  # noqa: E402, F401 (gb.callbacks.Callback: your own callbacks for the trainers)
from .basics import Benchmark, accuracy, data_iter, linreg, sgd, squared_loss  # noqa: E402
from .data import DataError, FashionMNIST, get_fashion_mnist_labels, load_data_fashion_mnist  # noqa: E402
from .devices import try_all_gpus, try_gpu  # noqa: E402
from .display import install_ipython_compat  # noqa: E402
from .training import History, evaluate_accuracy, train, train_ch3, train_ch5  # noqa: E402

install_ipython_compat()

# The rest of the book: optimization, recurrent networks, convolutional networks, computer vision, text, and the
# book's data files; MXNet's own FashionMNIST reads the verified local copy (see gluonbook/mxnet_datasets.py).
from . import bookdata, mxnet_datasets  # noqa: E402, F401 (gb.bookdata: the data files)
from .bookdata import mkdir_if_not_exist  # noqa: E402
from .convnets import Residual, corr2d, resnet18  # noqa: E402
from .optimization import get_data_ch7, show_trace_2d, train_2d, train_ch7, train_gluon_ch7  # noqa: E402
from .rnn import (  # noqa: E402
    RNNModel,
    data_iter_consecutive,
    data_iter_random,
    grad_clipping,
    load_data_jay_lyrics,
    load_data_time_machine,
    predict_rnn,
    predict_rnn_gluon,
    to_onehot,
    train_and_predict_rnn,
    train_and_predict_rnn_gluon,
)
from .text import (  # noqa: E402
    count_tokens,
    download_imdb,
    get_tokenized_imdb,
    get_vocab_imdb,
    predict_sentiment,
    preprocess_imdb,
    read_imdb,
)
from .vision import (  # noqa: E402
    VOC_CLASSES,
    VOC_COLORMAP,
    VOCSegDataset,
    bbox_to_rect,
    download_voc_pascal,
    load_data_pikachu,
    read_voc_images,
    show_bboxes,
    voc_label_indices,
    voc_rand_crop,
)

mxnet_datasets.install()

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
__all__ += ['RNNModel', 'Residual', 'VOCSegDataset', 'VOC_CLASSES', 'VOC_COLORMAP', 'bbox_to_rect', 'corr2d',
           'count_tokens', 'data_iter_consecutive', 'data_iter_random', 'download_imdb', 'download_voc_pascal',
           'get_data_ch7', 'get_tokenized_imdb', 'get_vocab_imdb', 'grad_clipping', 'load_data_jay_lyrics',
           'load_data_pikachu', 'load_data_time_machine', 'mkdir_if_not_exist', 'predict_rnn', 'predict_rnn_gluon',
           'predict_sentiment', 'preprocess_imdb', 'read_imdb', 'read_voc_images', 'resnet18', 'show_bboxes',
           'show_trace_2d', 'to_onehot', 'train_2d', 'train_and_predict_rnn', 'train_and_predict_rnn_gluon',
           'train_ch7', 'train_gluon_ch7', 'voc_label_indices', 'voc_rand_crop']
