"""The trainers' argument checks: each wrong argument is one ``ValueError`` or ``TypeError`` naming the value and
what to pass instead, raised before the first batch."""
import math
import numbers

import numpy as np
from mxnet import gluon, nd

from .data import positive_int


def check_args(num_epochs, batch_size=None, lr=None):
    """``(num_epochs, batch_size, lr)`` as Python numbers (numpy's are taken too), or a ``ValueError`` naming the
    one that is wrong."""
    num_epochs = positive_int(num_epochs, 'num_epochs')
    batch_size = None if batch_size is None else positive_int(batch_size, 'batch_size')
    if lr is not None:
        if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not (lr > 0 and math.isfinite(lr)):
            raise ValueError(f'lr must be a positive number, got {lr!r}')
        lr = float(lr)
    return num_epochs, batch_size, lr


def check_params(params):
    """``params`` as a list, if it is a list or tuple of NDArrays with gradients attached."""
    if not isinstance(params, (list, tuple)) or not all(isinstance(p, nd.NDArray) for p in params):
        hint = (': for a Gluon net, pass trainer=gluon.Trainer(net.collect_params(), ...) instead'
                if isinstance(params, gluon.ParameterDict) else '')
        raise TypeError(f'params must be a list of NDArrays (the parameters gb.sgd updates, such as [W, b]), got '
                        f'{kind(params)}{hint}')
    for i, param in enumerate(params):
        if param.grad is None:
            raise ValueError(f'params[{i}] (shape {param.shape}) has no gradient attached: call attach_grad() on '
                             f'each parameter before training (for param in params: param.attach_grad())')
    return list(params)


def check_trainer(trainer):
    """The trainer's learning rate (for the messages of a diverging run; None if it has no single one), if
    ``trainer`` is a ``gluon.Trainer``."""
    if not isinstance(trainer, gluon.Trainer):
        raise TypeError(f"trainer must be a gluon.Trainer, such as gluon.Trainer(net.collect_params(), 'sgd', "
                        f"{{'learning_rate': 0.1}}), got {kind(trainer)}")
    try:
        lr = trainer.learning_rate
    except (UserWarning, AttributeError):
        return None
    if isinstance(lr, np.generic):
        # MXNet writes the rate into its update operator's arguments as text, and numpy 2 writes a numpy scalar
        # as 'np.float32(0.5)', which the operator refuses: the same rate, as a Python float
        lr = float(lr)
        trainer.set_learning_rate(lr)
    return lr


def kind(value):
    """What ``value`` is, for a message: ``'str 'sgd''``, ``'a list holding float'``, ``'ParameterDict'``."""
    if isinstance(value, (list, tuple)):
        wrong = [type(v).__name__ for v in value if not isinstance(v, nd.NDArray)]
        return f'a {type(value).__name__} holding {wrong[0]}' if wrong else f'a {type(value).__name__}'
    if value is None or isinstance(value, (str, numbers.Number)):
        return f'{type(value).__name__} {value!r}'[:120]
    return type(value).__name__


def check_callbacks(callbacks):
    """``callbacks`` as a list, if each is a :class:`gluonbook.callbacks.Callback`."""
    from .callbacks import Callback
    callbacks = [] if callbacks is None else callbacks
    if isinstance(callbacks, Callback):
        callbacks = [callbacks]
    wrong = [c for c in callbacks if not isinstance(c, Callback)] if isinstance(callbacks, (list, tuple)) else [
        callbacks]
    if wrong:
        raise TypeError(f'callbacks must be a list of gb.callbacks.Callback objects (subclass it and override '
                        f'on_epoch_end, ...), got {kind(wrong[0])}')
    return list(callbacks)
