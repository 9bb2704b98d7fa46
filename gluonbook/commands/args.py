"""Argument types, names and checks shared by the commands (no MXNet needed to parse or check them)."""
import argparse

from .. import files

MODELS = ('softmax', 'mlp', 'mlp-gluon')  # the models of gluonbook.models, as the command line names them
TRAIN_SIZE = 60000  # images in Fashion-MNIST's training set (gluonbook.data.FASHION_MNIST; a test checks it)
MAX_SEED = 2**32 - 1  # MXNet's seeds are 32-bit: mx.random.seed(-1) is mx.random.seed(4294967295)
# train's exit code for a model whose loss stopped being finite: search keeps such a trial as a result, while any
# other failure (missing data, a broken environment) is not a result and runs again
DIVERGED = 3


def positive(kind):
    """An argparse type: a positive int or float."""
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f'expected a positive {kind.__name__}, got {text!r}') from None
        if not value > 0 or value == float('inf'):
            raise argparse.ArgumentTypeError(f'expected a positive {kind.__name__}, got {text!r}')
        return value
    parse.__name__ = kind.__name__
    return parse


def seed(text):
    """An argparse type: a seed MXNet takes as it is, 0 to 2**32 - 1."""
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f'expected an integer from 0 to {MAX_SEED} (MXNet seeds are 32-bit), '
                                         f'got {text!r}')
    return value


def hidden_sizes(text):
    """``'256,128'`` as ``(256, 128)``: the widths of the hidden layers."""
    try:
        sizes = tuple(int(part) for part in text.split(','))
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f'expected positive layer widths separated by commas, e.g. 256,256; '
                                         f'got {text!r}')
    return sizes


def values_of(kind):
    """An argparse type: comma-separated values, each parsed by ``kind``."""
    def parse(text):
        return [kind(part) for part in text.split(',')]
    return parse


def training_problem(model, hiddens, batch_size):
    """Why ``gluonbook train MODEL --hiddens HIDDENS --batch-size BATCH_SIZE`` cannot train, or None: the checks
    that need neither MXNet nor the data, so that search makes them for every trial before the first one runs."""
    if model == 'softmax' and hiddens:
        return (f'softmax regression has no hidden layers, but --hiddens {",".join(map(str, hiddens))} was given; '
                f'leave out --hiddens, or choose mlp or mlp-gluon for hidden layers')
    if batch_size > TRAIN_SIZE:
        return (f'--batch-size {batch_size} is larger than the training set ({TRAIN_SIZE} images); use at most '
                f'{TRAIN_SIZE}')
    return None


# Paths a command will write, checked before it starts working (gluonbook/files.py); each check creates nothing
check_folder = files.folder_problem
check_file = files.file_problem
