"""Run one section of the book (``tests/book/{en,zh}/chapter_xxx/section.py``) as a reader runs its notebook.

Usage, from ``ROOT/chapter_xxx/`` of a folder laid out like the book's repository (``ROOT/data``, ``ROOT/img``)::

    python book_runner.py PROGRAM [--setup FILE]

The program's cells (separated by ``# %%``) run in order in one namespace, in this Python; IPython magics
(``%matplotlib inline``, ``%%time``, ...) are skipped; the value of a cell's last expression is printed as a notebook
shows it (its ``repr``); figures are drawn headless (``MPLBACKEND=Agg``) and closed after each cell, as the inline
backend does. ``--setup FILE`` runs a file of Python first, in a namespace of its own (the tests use it to register
local copies of the book's downloads). An error ends the run with the traceback on stderr and exit code 1.

The caps keep the whole book within a CI run, without editing the programs: :data:`CAPS` says which variable of
which section is capped to what, applied to the program's syntax tree (an assignment to the name at any level, a
keyword argument of that name, and a function's parameter of that name on entry); in the sections of :data:`FEW`,
every Gluon ``DataLoader`` yields at most :data:`BATCHES` batches per pass, so an epoch of AlexNet is three batches.
"""
import argparse
import ast
import itertools
import os
import re
import sys
import traceback
import types
from pathlib import Path

# section (chapter folder/file stem, as in tests/book/{en,zh}/) -> {variable: the largest value it may take}
CAPS = {
    'chapter_deep-learning-basics/softmax-regression-scratch': {'num_epochs': 2},
    'chapter_deep-learning-basics/softmax-regression-gluon': {'num_epochs': 2},
    'chapter_deep-learning-basics/mlp-scratch': {'num_epochs': 2},
    'chapter_deep-learning-basics/mlp-gluon': {'num_epochs': 2},
    'chapter_deep-learning-basics/mlp': {'num_epochs': 2},
    'chapter_deep-learning-basics/dropout': {'num_epochs': 2},
    'chapter_convolutional-neural-networks/lenet': {'num_epochs': 1},
    'chapter_convolutional-neural-networks/alexnet': {'num_epochs': 1, 'batch_size': 16},
    'chapter_convolutional-neural-networks/vgg': {'num_epochs': 1, 'batch_size': 16},
    'chapter_convolutional-neural-networks/nin': {'num_epochs': 1, 'batch_size': 16},
    'chapter_convolutional-neural-networks/googlenet': {'num_epochs': 1, 'batch_size': 16},
    'chapter_convolutional-neural-networks/batch-norm': {'num_epochs': 1, 'batch_size': 16},
    'chapter_convolutional-neural-networks/resnet': {'num_epochs': 1, 'batch_size': 16},
    'chapter_convolutional-neural-networks/densenet': {'num_epochs': 1, 'batch_size': 16},
    'chapter_recurrent-neural-networks/rnn-scratch': {'num_epochs': 20, 'pred_period': 10},
    'chapter_recurrent-neural-networks/rnn-gluon': {'num_epochs': 60, 'pred_period': 30},
    'chapter_recurrent-neural-networks/gru': {'num_epochs': 10, 'pred_period': 5},
    'chapter_recurrent-neural-networks/lstm': {'num_epochs': 10, 'pred_period': 5},
    'chapter_recurrent-neural-networks/sequence': {'epochs': 2},
    'chapter_natural-language-processing/word2vec-gluon': {'num_epochs': 1},
    'chapter_natural-language-processing/machine-translation': {'num_epochs': 10},
    'chapter_natural-language-processing/sentiment-analysis-rnn': {'num_epochs': 1},
    'chapter_natural-language-processing/sentiment-analysis-cnn': {'num_epochs': 1},
    'chapter_computer-vision/image-augmentation': {'num_epochs': 1},
    'chapter_computer-vision/fine-tuning': {'num_epochs': 1},
    'chapter_computer-vision/fcn': {'num_epochs': 1},
    'chapter_computer-vision/neural-style': {'max_epochs': 10, 'lr_decay_epoch': 5},
    'chapter_computer-vision/kaggle-gluon-cifar10': {'num_epochs': 1},
    'chapter_computer-vision/kaggle-gluon-dog': {'num_epochs': 1},
    'chapter_computer-vision/ssd': {'range(20)': 1},
}
# sections whose training is hours (minutes for word2vec) per epoch on a CPU: each pass over a DataLoader is cut to
# BATCHES batches
FEW = {'chapter_convolutional-neural-networks/' + name for name in (
    'alexnet', 'vgg', 'nin', 'googlenet', 'batch-norm', 'resnet', 'densenet')} | {
    'chapter_computer-vision/' + name for name in (
        'image-augmentation', 'fine-tuning', 'fcn', 'kaggle-gluon-cifar10', 'kaggle-gluon-dog')} | {
    'chapter_natural-language-processing/' + name for name in (
        'sentiment-analysis-rnn', 'sentiment-analysis-cnn', 'word2vec-gluon')}
BATCHES = 3
MAGIC = re.compile(r'^\s*(%%?|!)[A-Za-z]')  # %matplotlib inline, %%time, !nvidia-smi; not '% (k, x)'


def section(program):
    """``chapter_xxx/section`` of a program's path."""
    path = Path(program).resolve()
    return f'{path.parent.name}/{path.stem}'


class Cap(ast.NodeTransformer):
    """Caps the named variables: ``name = min(name, cap)`` after each assignment to ``name``, ``name=min(value,
    cap)`` in calls, and on entry to a function with a parameter ``name``; ``range(N)`` with ``'range(N)'`` capped."""

    def __init__(self, caps):
        self.caps = caps

    def clamp(self, name):
        return ast.parse(f'{name} = min({name}, {self.caps[name]!r})').body[0]

    def visit_Assign(self, node):
        self.generic_visit(node)
        names = [n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name) and n.id in self.caps]
        return [node] + [self.clamp(name) for name in names] if names else node

    def visit_FunctionDef(self, node):
        self.generic_visit(node)
        args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        node.body[:0] = [self.clamp(a.arg) for a in args if a.arg in self.caps]
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        for keyword in node.keywords:
            if keyword.arg in self.caps:
                keyword.value = ast.Call(ast.Name('min', ast.Load()),
                                         [keyword.value, ast.Constant(self.caps[keyword.arg])], [])
        if (isinstance(node.func, ast.Name) and node.func.id == 'range' and len(node.args) == 1
                and isinstance(node.args[0], ast.Constant) and f'range({node.args[0].value})' in self.caps):
            node.args[0] = ast.Constant(self.caps[f'range({node.args[0].value})'])
        return node


def cells(text):
    """The program's cells, magics dropped."""
    return ['\n'.join(line for line in cell.splitlines() if not MAGIC.match(line))
            for cell in re.split(r'^# %%$', text, flags=re.M)[1:]]


class Few:
    """At most BATCHES batches of an iterable of batches, per pass."""

    def __init__(self, batches):
        self.batches = batches

    def __iter__(self):
        return itertools.islice(iter(self.batches), BATCHES)

    def __len__(self):
        return min(len(self.batches), BATCHES)

    def __getattr__(self, name):
        return getattr(self.batches, name)


def few_batches():
    """Every pass over a Gluon DataLoader, and over the iterators of ``load_data_fashion_mnist`` (of gluonbook, and
    of d2lzh where it is another module), stops after BATCHES batches."""
    import importlib

    from mxnet.gluon.data import DataLoader
    whole, size = DataLoader.__iter__, DataLoader.__len__
    DataLoader.__iter__ = lambda self: itertools.islice(whole(self), BATCHES)
    DataLoader.__len__ = lambda self: min(size(self), BATCHES)
    for name in ('gluonbook', 'd2lzh'):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        load = module.load_data_fashion_mnist
        if not getattr(load, 'few', False):
            def few(*args, load=load, **kwargs):
                return tuple(Few(batches) for batches in load(*args, **kwargs))
            few.few = True
            module.load_data_fashion_mnist = few


def run_cell(source, namespace, caps, filename):
    tree = Cap(caps).visit(ast.parse(source, filename))
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(ast.fix_missing_locations(tree), filename, 'exec'), namespace)
    if last is not None:
        value = eval(compile(ast.fix_missing_locations(ast.Expression(last.value)), filename, 'eval'), namespace)
        if value is not None:
            print(repr(value))
    if 'matplotlib.pyplot' in sys.modules:
        sys.modules['matplotlib.pyplot'].close('all')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('program')
    parser.add_argument('--setup', help='a file of Python to run first')
    args = parser.parse_args(argv)
    os.environ.setdefault('MPLBACKEND', 'Agg')
    sys.path.insert(0, os.getcwd())  # as in a notebook: modules beside the chapter import
    if args.setup:
        exec(compile(Path(args.setup).read_text(), args.setup, 'exec'), {'__name__': '__setup__'})
    name = section(args.program)
    if name in FEW:
        few_batches()
    main = types.ModuleType('__main__')  # as in a notebook: what the cells define is __main__'s, so it pickles
    sys.modules['__main__'] = main
    namespace = main.__dict__
    for i, source in enumerate(cells(Path(args.program).read_text(encoding='utf-8'))):
        try:
            run_cell(source, namespace, CAPS.get(name, {}), f'{args.program} [cell {i + 1}]')
        except BaseException:  # noqa: B036 (the traceback is the result, as a notebook shows it)
            sys.stdout.flush()
            traceback.print_exc()
            return 1
        sys.stdout.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())
