"""gluonbook: the helpers of *Dive into Deep Learning* (MXNet/Gluon edition), on today's Python stack.

``import gluonbook as gb`` and call the book's helpers (``gb.load_data_fashion_mnist``, ``gb.train_ch3``, ...).

``import gluonbook`` itself loads neither MXNet nor IPython nor matplotlib: each of the book's names is imported
from its module the first time it is used, then kept here (PEP 562), so ``gluonbook --version``, ``--help`` and
the commands that start other processes (``launch``, ``search``) are quick, and work without MXNet. Without MXNet,
the first use of a helper raises one ``ImportError`` saying what to install.

What this package changes outside itself is all in ``gluonbook_compat`` (its docstring lists each effect): before
MXNet 1.9.1 loads, the numpy names and ``distutils`` it needs on numpy >= 1.24 and Python >= 3.12 are put back where
missing, and its OpenBLAS is loaded with its AVX2 kernel. Installing gluonbook makes that happen at the first
``import mxnet`` of any program, so the order of imports does not matter. MXNet's own downloads (its data sets,
the model zoo, ``contrib.text``, the book's ``gutils.download`` calls) are routed through the registry of the
book's files, ``gluonbook/datahub.py``, which finds verified local copies first.
"""
import importlib

__version__ = '1.0.0'

# Each of the book's names -> the module of this package that defines it (imported on first use)
BOOK = {
    'basics': ['Benchmark', 'accuracy', 'data_iter', 'linreg', 'sgd', 'squared_loss'],
    'data': ['DataError', 'FashionMNIST', 'get_fashion_mnist_labels', 'load_data_fashion_mnist'],
    'devices': ['try_all_gpus', 'try_gpu'],
    'training': ['History', 'evaluate_accuracy', 'train', 'train_ch3', 'train_ch5'],
    'callbacks': ['Callback'],  # gb.callbacks: the trainers' callbacks, and the base class of your own
    'plotting': ['Animator', 'plt', 'semilogy', 'set_figsize', 'show_fashion_mnist', 'show_images',
                 'use_svg_display'],
    # the rest of the book: optimization, recurrent networks, convolutional networks, computer vision, text, and
    # the book's data files
    'bookdata': ['mkdir_if_not_exist'],
    'datahub': ['DataMissingError'],
    'convnets': ['Residual', 'corr2d', 'resnet18'],
    'optimization': ['get_data_ch7', 'show_trace_2d', 'train_2d', 'train_ch7', 'train_gluon_ch7'],
    'rnn': ['RNNModel', 'data_iter_consecutive', 'data_iter_random', 'grad_clipping', 'load_data_jay_lyrics',
            'load_data_time_machine', 'predict_rnn', 'predict_rnn_gluon', 'to_onehot', 'train_and_predict_rnn',
            'train_and_predict_rnn_gluon'],
    'text': ['count_tokens', 'download_imdb', 'get_tokenized_imdb', 'get_vocab_imdb', 'predict_sentiment',
             'preprocess_imdb', 'read_imdb'],
    'vision': ['VOC_CLASSES', 'VOC_COLORMAP', 'VOCSegDataset', 'bbox_to_rect', 'download_voc_pascal',
               'load_data_pikachu', 'read_voc_images', 'show_bboxes', 'voc_label_indices', 'voc_rand_crop'],
}
NAMES = {name: module for module, names in BOOK.items() for name in names}
WITHOUT_MXNET = {'plotting'}  # modules of BOOK that work without MXNet
__all__ = sorted(NAMES, key=str.lower)

MXNET_MISSING = (
    'gluonbook needs MXNet 1.9.1, which could not be imported ({error}). Install it without its declared '
    'dependencies (gluonbook declares the ones it really needs): `pip install --no-deps mxnet==1.9.1` for the CPU, '
    'or the build matching your CUDA for a GPU, e.g. `pip install --no-deps mxnet-cu112==1.9.1`.')


def __getattr__(name):
    """A book's name, or one of its modules (``gb.bookdata``), imported on first use and then kept here."""
    if name in NAMES:
        value = getattr(_book_module(NAMES[name]), name)
    elif name in BOOK:
        value = _book_module(name)
    else:
        raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
    globals()[name] = value
    return value


def __dir__():
    return sorted({*globals(), *NAMES, *BOOK})


def _book_module(module):
    """The module ``gluonbook.MODULE``; MXNet is imported first (through gluonbook_compat, so that it loads on
    today's numpy and Python even where its start-up hook is not installed). Without MXNet: one ImportError."""
    if module not in WITHOUT_MXNET:
        import gluonbook_compat
        try:
            gluonbook_compat.import_mxnet()
        except ImportError as e:
            raise ImportError(MXNET_MISSING.format(error=e)) from None
    return importlib.import_module(f'{__name__}.{module}')
