"""Devices: the book's try_gpu and try_all_gpus, context lists, and the Benchmark timer."""
import time

import mxnet as mx
from mxnet import nd


def try_gpu():
    """The first GPU if there is one, else the CPU."""
    return mx.gpu(0) if mx.context.num_gpus() > 0 else mx.cpu()


def try_all_gpus():
    """Every GPU, or ``[mx.cpu()]`` if there is none."""
    return [mx.gpu(i) for i in range(mx.context.num_gpus())] or [mx.cpu()]


def as_context_list(ctx):
    """A list of contexts from a context, a list of them, or a string such as ``'cpu'``, ``'gpu:0,1'``."""
    if isinstance(ctx, str):
        return parse_ctx(ctx)
    ctxs = [ctx] if isinstance(ctx, mx.Context) else list(ctx)
    if not ctxs or not all(isinstance(c, mx.Context) for c in ctxs):
        raise TypeError(f'ctx must be an mx.Context or a non-empty list of them, got {ctx!r}')
    return ctxs


def parse_ctx(text):
    """``'cpu'``, ``'gpu'``, ``'gpu:0,1'`` or ``'cpu:0,1'`` as a list of contexts; GPUs must exist."""
    kind, _, ids = text.strip().lower().partition(':')
    if kind not in ('cpu', 'gpu') or (ids and not all(i.strip().isdigit() for i in ids.split(','))):
        raise ValueError(f"unknown context {text!r}: expected 'cpu', 'gpu', 'gpu:0,1' or 'cpu:0,1'")
    numbers = [int(i) for i in ids.split(',')] if ids else [0]
    if kind == 'gpu':
        available = mx.context.num_gpus()
        missing = [i for i in numbers if i >= available]
        if missing:
            raise ValueError(f'context {text!r} asks for GPU {missing[0]}, but this machine has {available} GPU(s) '
                             f'usable by MXNet; use --ctx cpu, or install an mxnet-cuXXX build that matches CUDA')
        return [mx.gpu(i) for i in numbers]
    return [mx.cpu(i) for i in numbers]


class Benchmark:
    """Time a block, waiting for MXNet's asynchronous work inside it to finish."""

    def __init__(self, prefix=None):
        self.prefix = prefix + ' ' if prefix else ''

    def __enter__(self):
        self.start = time.time()
        return self

    def __exit__(self, *args):
        nd.waitall()
        self.seconds = time.time() - self.start
        print(f'{self.prefix}time: {self.seconds:.4f} sec')
