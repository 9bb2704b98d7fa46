"""Argument types, names and checks shared by the commands (no MXNet needed to parse or check them)."""
import argparse

from .. import files

MODELS = ('softmax', 'mlp', 'mlp-gluon')  # the models of gluonbook.models, as the command line names them
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


# Paths a command will write, checked before it starts working (gluonbook/files.py); each check creates nothing
check_folder = files.folder_problem
check_file = files.file_problem
