"""Argument types, names and checks shared by the commands (no MXNet needed to parse or check them)."""
import argparse
import os

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


# ---------------------------------------------------------------------------------------------------------------
# Paths a command will write, checked before it starts working; each check creates nothing

def check_folder(path, option):
    """Why the folder ``path`` (given as ``option``) cannot be written into, or None. A folder that does not
    exist yet is fine if it can be created."""
    if os.path.exists(path) and not os.path.isdir(path):
        return f'{option} {path} is a file, not a folder; give the path of a folder (it is created if missing)'
    return _blocked(path, option, 'folder')


def check_file(path, option):
    """Why the file ``path`` (given as ``option``) cannot be written, or None. Its folder must exist."""
    if os.path.isdir(path):
        return f'{option} {path} is a folder; give the path of a file, e.g. {os.path.join(path, "model.ckpt")}'
    folder = os.path.dirname(path) or '.'
    if not os.path.exists(folder):
        return _blocked(folder, option, 'file') or (
            f'{option} {path}: the folder {folder} does not exist; create it first (mkdir -p {folder}) or give '
            f'a path in an existing folder')
    if not os.path.isdir(folder):
        return f'{option} {path}: {folder} is a file, not a folder; give a path in a folder'
    return _blocked(folder, option, 'file')


def _blocked(path, option, kind):
    """Why nothing can be written in the folder ``path``: it, or the first existing folder above it, is a file or
    cannot be written."""
    existing = os.path.abspath(path)
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        return f'{option} {path}: {existing} is a file, so no {kind} can be made in it; give another path'
    if not os.access(existing, os.W_OK | os.X_OK):
        return f'{option} {path}: the folder {existing} cannot be written; give a {kind} where you can write'
    return None
