"""What a run's numbers tell about it: the first batch checked before its update, a loss no longer finite, a loss
far above the untrained model's (diverging), an accuracy at chance (not learning).

The warnings are :class:`TrainingWarning` s, issued through Python's ``warnings`` (so ``warnings.catch_warnings``,
``pytest.warns`` and warning filters see them) and shown as one line, ``warning: ...``, without the file, line
number and source line Python's default display adds (in a notebook: a temporary file of the kernel and the cell's
code line).
"""
import math
import warnings

from mxnet import nd

DIVERGING = 10  # a mean loss this many times the loss before training is a model diverging, not bad luck
CHANCE_MARGIN = 0.05  # an accuracy less than this above chance (1 / classes), after two epochs, is not learning


class TrainingWarning(RuntimeWarning):
    """A run that trains but does not learn: a loss that has grown far above the untrained model's, or an
    accuracy at chance. (A loss that is no longer finite is a ``FloatingPointError`` instead.)"""


def warn(message):
    """Issue ``message`` as a :class:`TrainingWarning`, displayed (where nothing catches it) as the one line
    ``warning: MESSAGE``. Only the display of this one warning is formatted so: ``warnings.formatwarning`` is
    Python's own again when this returns."""
    def one_line(message, category, *args, **kwargs):
        return f'warning: {message}\n'
    previous = warnings.formatwarning
    warnings.formatwarning = one_line
    try:
        warnings.warn(message, TrainingWarning, stacklevel=2)
    finally:
        warnings.formatwarning = previous


class FirstBatch:
    """What the first batch of a run tells, before its update.

    :meth:`check_output` compares the shapes of the net's scores and the labels (no value read);
    :meth:`read` reads, in one go, the labels' range (checked against the number of scores) and the loss per
    example of the model as it was before this run's first update (``loss``, ``classes``): the reference a
    diverging loss is told apart by."""

    def __init__(self):
        self.loss, self.classes = None, None

    @staticmethod
    def check_output(X, y, y_hat):
        if not isinstance(y_hat, nd.NDArray):
            raise ValueError(f'the net returned {type(y_hat).__name__}, expected an NDArray of scores of shape '
                             f'(batch, classes)')
        if y_hat.ndim == y.ndim + 1 and y_hat.shape[0] == y.shape[0] and y_hat.shape[2:] == y.shape[1:]:
            return
        expected = ', '.join([str(y.shape[0]), 'classes', *map(str, y.shape[1:])])
        hint = ('one row of scores per example: reshape with -1 (X.reshape((-1, 784))), not a fixed batch size'
                if y_hat.ndim and y_hat.shape[0] != y.shape[0] else
                'scores (batch, classes) for labels (batch,): one score per class')
        raise ValueError(f"the net's output does not fit the labels: for a batch X of shape {X.shape} and labels "
                         f'y of shape {y.shape} it returned shape {y_hat.shape}, expected ({expected}); a '
                         f'classifier returns {hint}')

    def read(self, y_hat, y, l):
        values = [y.min(), y.max(), l]
        low, high, total = nd.concat(*[v.astype('float32').reshape((1,)).as_in_context(l.context) for v in values],
                                     dim=0).asnumpy().tolist()
        classes = y_hat.shape[1]
        if low < 0 or high >= classes:
            raise ValueError(f'the labels of the first batch go from {low:g} to {high:g}, but the net returns '
                             f'{classes} scores per example (classes 0..{classes - 1}): give its last layer '
                             f'{int(high) + 1} outputs, or check the labels')
        self.loss, self.classes = total / y.shape[0], classes


def smaller(lr):
    return f'a learning rate below {lr:g}' if lr else 'a smaller learning rate'


def check_finite(loss, epoch, lr=None):
    """A ``FloatingPointError`` naming the epoch and a smaller learning rate, if ``loss`` is NaN or infinite."""
    if not math.isfinite(loss):
        raise FloatingPointError(f'the training loss became {loss} in epoch {epoch}; the model diverged. '
                                 f'Try {smaller(lr)}.')


def diverging(epoch, loss, reference, lr=None):
    """The warning's text if the finite ``loss`` is far above ``reference``, the loss per example before
    training; else None."""
    if reference and reference > 0 and loss > DIVERGING * reference:
        return (f'the training loss {loss:.4g} in epoch {epoch} is {loss / reference:.3g} times the loss before '
                f'training ({reference:.4g}): the model is diverging. Try {smaller(lr)}.')
    return None


def at_chance(epoch, train_acc, test_acc, classes, lr=None):
    """The warning's text if, from epoch 2 on, train and test accuracy are both at chance; else None."""
    if epoch >= 2 and classes and max(train_acc, test_acc) < 1 / classes + CHANCE_MARGIN:
        now = f' ({lr:g} now)' if lr else ''
        return (f'after epoch {epoch} the accuracy is at chance for {classes} classes (train {train_acc:.3f}, '
                f'test {test_acc:.3f}, chance {1 / classes:.3f}): the model is not learning. Try another learning '
                f'rate{now}: one too large can leave a network stuck for good, one too small barely moves it; and '
                f'check that the labels belong to the inputs.')
    return None
