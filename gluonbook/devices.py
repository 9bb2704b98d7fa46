"""Devices: the book's try_gpu and try_all_gpus, and context lists from contexts or strings such as ``'gpu:0,1'``."""

import mxnet as mx


def try_gpu():
    """The first GPU if there is one, else the CPU."""
    return mx.gpu(0) if mx.context.num_gpus() > 0 else mx.cpu()


def try_all_gpus():
    """Every GPU, or ``[mx.cpu()]`` if there is none."""
    return [mx.gpu(i) for i in range(mx.context.num_gpus())] or [mx.cpu()]


def as_context_list(ctx):
    """A list of contexts from a context, a list of them, or a string such as ``'cpu'``, ``'gpu:0,1'``; every GPU
    named must exist, and no device may be named twice."""
    if isinstance(ctx, str):
        return parse_ctx(ctx)
    ctxs = [ctx] if isinstance(ctx, mx.Context) else list(ctx) if isinstance(ctx, (list, tuple)) else []
    if not ctxs or not all(isinstance(c, mx.Context) for c in ctxs):
        raise TypeError(f"ctx must be an mx.Context, a non-empty list of them, or a string such as 'cpu' or "
                        f"'gpu:0,1', got {ctx!r}")
    for c in ctxs:
        check_context(c)
    if len(set(ctxs)) < len(ctxs):
        raise ValueError(f'ctx names a device twice: {ctxs}; name each device once')
    return ctxs


def as_context(ctx):
    """One context, from an ``mx.Context``, a string such as ``'cpu'`` or ``'gpu:1'``, or None (the CPU)."""
    if ctx is None:
        return mx.cpu()
    ctxs = as_context_list(ctx)
    if len(ctxs) > 1:
        raise ValueError(f'expected one device, got {ctxs}; batches are placed on one device, and gb.train splits '
                         f'them over several')
    return ctxs[0]


def check_context(ctx):
    """``ctx``, if MXNet can use it here; a GPU that is not there is a ``ValueError`` saying what to do."""
    if ctx.device_type == 'gpu':
        available = mx.context.num_gpus()
        if ctx.device_id >= available:
            raise ValueError(f'{ctx} is not available: this machine has {available} GPU(s) usable by MXNet. Use '
                             f'mx.cpu() (or --ctx cpu), gb.try_gpu() to take a GPU only where there is one, or '
                             f'install the mxnet-cuXXX build of MXNet 1.9.1 that matches your CUDA')
    return ctx


def parse_ctx(text):
    """``'cpu'``, ``'gpu'``, ``'gpu:0,1'`` or ``'cpu:0,1'`` as a list of contexts; GPUs must exist."""
    kind, _, ids = text.strip().lower().partition(':')
    if kind not in ('cpu', 'gpu') or (ids and not all(i.strip().isdigit() for i in ids.split(','))):
        raise ValueError(f"unknown context {text!r}: expected 'cpu', 'gpu', 'gpu:0,1' or 'cpu:0,1'")
    numbers = [int(i) for i in ids.split(',')] if ids else [0]
    if len(set(numbers)) < len(numbers):
        raise ValueError(f'context {text!r} names a device twice; name each device once, e.g. {kind}:0,1')
    return [check_context(mx.Context(kind, i)) for i in numbers]
