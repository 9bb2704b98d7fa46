"""The recurrent-network chapters' helpers: the character corpora, their two samplers, one-hot inputs, gradient
clipping, prediction, the Gluon model, and the two train-and-predict loops.

A character-level language model is trained on the first 10,000 characters of *The Time Machine* (shipped with
the package). The loops keep the loss and the gradient norm on the device: gluonbook 0.8.10 read both after every
batch (``asscalar``), which made Python wait for MXNet at each step; here the loss is read once per epoch, and
clipping multiplies the gradients by ``min(1, theta / norm)`` computed on the device, which is the same
operation; MXNet's engine runs the loops' small operators in groups (``mx.engine.bulk``), with the same results.
Prediction feeds each predicted character back without reading it, and reads the text once.
"""
import dataclasses
import math
import random
import time
import zipfile

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, init, nd
from mxnet.gluon import loss as gloss
from mxnet.gluon import nn

from . import bookdata, datahub
from .basics import sgd
from .callbacks import TimeEstimate

BULK_SIZE = 128  # operators MXNet's engine runs as one group in the training loops (mx.engine.bulk)


def _index_corpus(corpus_chars):
    idx_to_char = list(set(corpus_chars))
    char_to_idx = {char: i for i, char in enumerate(idx_to_char)}
    corpus_indices = [char_to_idx[char] for char in corpus_chars]
    return corpus_indices, char_to_idx, idx_to_char, len(char_to_idx)


def load_data_time_machine():
    """The first 10,000 characters of H. G. Wells' *The Time Machine*, lower-cased, as indices.

    Returns:
        (corpus_indices, char_to_idx, idx_to_char, vocab_size): ``corpus_indices`` a list of 10,000 ints,
        ``char_to_idx`` a dict from each character to its index, ``idx_to_char`` the list back, ``vocab_size``
        the number of distinct characters (43). Line breaks become spaces. The order of ``idx_to_char`` follows
        Python's ``set`` of the characters, as in the book, so it may differ between processes.

    Example::

        >>> corpus_indices, char_to_idx, idx_to_char, vocab_size = gb.load_data_time_machine()
        >>> ''.join(idx_to_char[i] for i in corpus_indices[:13])
        'the time mach'
    """
    with open(bookdata.path('timemachine.txt')) as f:
        corpus_chars = f.read()
    corpus_chars = corpus_chars.replace('\n', ' ').replace('\r', ' ').lower()
    return _index_corpus(corpus_chars[0:10000])


def load_data_jay_lyrics():
    """The first 10,000 characters of the Jay Chou lyrics corpus of the book's Chinese edition, as indices.

    Returns ``(corpus_indices, char_to_idx, idx_to_char, vocab_size)`` as :func:`load_data_time_machine`
    (line breaks become spaces, no lower-casing). The file (52 kB) ships with the package; a copy in
    ``$GLUONBOOK_DATA`` or the book's ``../data`` is used first (see :mod:`gluonbook.datahub`)."""
    with zipfile.ZipFile(datahub.path('jaychou_lyrics.txt.zip')) as zin:
        with zin.open('jaychou_lyrics.txt') as f:
            corpus_chars = f.read().decode('utf-8')
    corpus_chars = corpus_chars.replace('\n', ' ').replace('\r', ' ')
    return _index_corpus(corpus_chars[0:10000])


def data_iter_random(corpus_indices, batch_size, num_steps, ctx=None):
    """Random sampling: mini-batches of subsequences taken at random, non-overlapping positions.

    The corpus is cut into ``(len - 1) // num_steps`` subsequences of ``num_steps`` indices; each epoch visits
    them in a new order drawn with Python's ``random.shuffle`` (so ``random.seed`` fixes it, and the batches are
    gluonbook 0.8.10's for the same seed); an incomplete last batch is dropped.

    Yields:
        (X, Y): float32 NDArrays of shape ``(batch_size, num_steps)`` on ``ctx``; ``Y`` is ``X`` shifted by one.

    Example::

        >>> import random
        >>> random.seed(0)
        >>> for X, Y in gb.data_iter_random(list(range(30)), batch_size=2, num_steps=6):
        ...     print(X.asnumpy().tolist(), Y[:, -1].asnumpy().tolist())   # Y: X shifted by one (its last column)
        [[12.0, 13.0, 14.0, 15.0, 16.0, 17.0], [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]] [18.0, 6.0]
        [[6.0, 7.0, 8.0, 9.0, 10.0, 11.0], [18.0, 19.0, 20.0, 21.0, 22.0, 23.0]] [12.0, 24.0]
    """
    num_examples = (len(corpus_indices) - 1) // num_steps
    epoch_size = num_examples // batch_size
    example_indices = list(range(num_examples))
    random.shuffle(example_indices)
    corpus = np.asarray(corpus_indices[:num_examples * num_steps + 1], dtype=np.float32)
    offsets = np.arange(num_steps)
    for i in range(epoch_size):
        starts = np.array(example_indices[i * batch_size:(i + 1) * batch_size]) * num_steps
        rows = starts[:, None] + offsets
        yield nd.array(corpus[rows], ctx=ctx), nd.array(corpus[rows + 1], ctx=ctx)


def data_iter_consecutive(corpus_indices, batch_size, num_steps, ctx=None):
    """Consecutive sampling: the corpus as ``batch_size`` parallel streams, read ``num_steps`` at a time.

    Batch ``i + 1``'s rows continue batch ``i``'s, so a hidden state can be carried from one to the next.

    Yields:
        (X, Y): float32 NDArrays of shape ``(batch_size, num_steps)`` on ``ctx``; ``Y`` is ``X`` shifted by one.

    Example::

        >>> for X, Y in gb.data_iter_consecutive(list(range(30)), batch_size=2, num_steps=6):
        ...     print(X.asnumpy().tolist(), Y[:, -1].asnumpy().tolist())   # Y: X shifted by one (its last column)
        [[0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [15.0, 16.0, 17.0, 18.0, 19.0, 20.0]] [6.0, 21.0]
        [[6.0, 7.0, 8.0, 9.0, 10.0, 11.0], [21.0, 22.0, 23.0, 24.0, 25.0, 26.0]] [12.0, 27.0]
    """
    corpus_indices = nd.array(corpus_indices, ctx=ctx)
    data_len = len(corpus_indices)
    batch_len = data_len // batch_size
    indices = corpus_indices[0:batch_size * batch_len].reshape((batch_size, batch_len))
    epoch_size = (batch_len - 1) // num_steps
    for i in range(epoch_size):
        i = i * num_steps
        X = indices[:, i:i + num_steps]
        Y = indices[:, i + 1:i + num_steps + 1]
        yield X, Y


def to_onehot(X, size):
    """One-hot inputs, one per time step: ``X`` of shape ``(batch_size, num_steps)`` gives a list of
    ``num_steps`` float32 NDArrays of shape ``(batch_size, size)``.

    Example::

        >>> inputs = gb.to_onehot(nd.arange(10).reshape((2, 5)), 43)
        >>> len(inputs), inputs[0].shape
        (5, (2, 43))
    """
    return list(nd.one_hot(X.T, size))  # one operator for all steps; the steps are views of its result


def grad_clipping(params, theta, ctx):
    """Clip gradients: if their global L2 norm exceeds ``theta``, scale them all so that it is ``theta``.

    Args:
        params: NDArrays with gradients attached (``.grad``), changed in place.
        theta: the largest norm allowed (``None``: no clipping).
        ctx: the context the parameters live on.

    The norm and the factor ``min(1, theta / norm)`` are computed on the device and the gradients are always
    multiplied by it (by 1 when the norm is within ``theta``), so no value is read back and training never waits
    here.

    Example::

        >>> w = nd.array([0.0, 0.0])
        >>> w.attach_grad()
        >>> w.grad[:] = nd.array([3.0, 4.0])   # as after l.backward(): a norm of 5
        >>> gb.grad_clipping([w], 2.5, mx.cpu())   # before the update
        >>> w.grad.asnumpy().tolist()
        [1.5, 2.0]
        >>> gb.grad_clipping([w], 10, mx.cpu())   # within theta: unchanged
        >>> w.grad.asnumpy().tolist()
        [1.5, 2.0]
    """
    if theta is None:
        return
    norm = nd.zeros(1, ctx)
    for param in params:
        norm += (param.grad ** 2).sum()
    scale = nd.minimum(theta / norm.sqrt(), 1)  # the norm is never 0 in practice; 0 would give inf, then 1
    for param in params:
        param.grad[:] *= scale


def _decode(output, idx_to_char):
    """Characters of a list of indices (ints) and NDArrays of one index each, read from the device at once."""
    pending = [i for i, x in enumerate(output) if isinstance(x, nd.NDArray)]
    if pending:
        values = nd.concat(*[output[i].reshape((1,)) for i in pending], dim=0).asnumpy()
        for i, value in zip(pending, values):
            output[i] = int(value)
    return ''.join([idx_to_char[i] for i in output])


def predict_rnn(prefix, num_chars, rnn, params, init_rnn_state, num_hiddens, vocab_size, ctx, idx_to_char,
                char_to_idx):
    """Continue ``prefix`` by ``num_chars`` characters with a from-scratch RNN (greedy: the likeliest one).

    Args:
        prefix: the text to start from (its characters must be in ``char_to_idx``).
        num_chars: how many characters to predict.
        rnn: ``rnn(inputs, state, params) -> (outputs, state)``, the chapter's model function.
        params, init_rnn_state, num_hiddens, vocab_size, ctx: the model's parameters, its state initialiser
            ``init_rnn_state(batch_size, num_hiddens, ctx)``, its sizes and its context.
        idx_to_char, char_to_idx: the vocabulary, from :func:`load_data_time_machine`.

    Returns:
        str: ``prefix`` followed by the ``num_chars`` predicted characters.

    Example (the chapter's RNN, untrained here; trained, it continues with words such as ``'the time '``)::

        >>> corpus_indices, char_to_idx, idx_to_char, vocab_size = gb.load_data_time_machine()
        >>> num_hiddens, ctx = 32, mx.cpu()
        >>> params = [nd.random.normal(scale=0.01, shape=shape) for shape in [
        ...     (vocab_size, num_hiddens), (num_hiddens, num_hiddens), (num_hiddens,),
        ...     (num_hiddens, vocab_size), (vocab_size,)]]
        >>> def init_rnn_state(batch_size, num_hiddens, ctx):
        ...     return (nd.zeros(shape=(batch_size, num_hiddens), ctx=ctx),)
        >>> def rnn(inputs, state, params):
        ...     W_xh, W_hh, b_h, W_hq, b_q = params
        ...     H, = state
        ...     outputs = []
        ...     for X in inputs:
        ...         H = nd.tanh(nd.dot(X, W_xh) + nd.dot(H, W_hh) + b_h)
        ...         outputs.append(nd.dot(H, W_hq) + b_q)
        ...     return outputs, (H,)
        >>> text = gb.predict_rnn('traveller', 10, rnn, params, init_rnn_state, num_hiddens, vocab_size, ctx,
        ...                       idx_to_char, char_to_idx)
        >>> text[:9], len(text)
        ('traveller', 19)
    """
    state = init_rnn_state(1, num_hiddens, ctx)
    output = [char_to_idx[prefix[0]]]
    for t in range(num_chars + len(prefix) - 1):
        last = output[-1] if isinstance(output[-1], nd.NDArray) else nd.array([output[-1]], ctx=ctx)
        X = to_onehot(last.reshape((1, 1)), vocab_size)
        (Y, state) = rnn(X, state, params)
        if t < len(prefix) - 1:
            output.append(char_to_idx[prefix[t + 1]])
        else:
            output.append(Y[0].argmax(axis=1))
    return _decode(output, idx_to_char)


def predict_rnn_gluon(prefix, num_chars, model, vocab_size, ctx, idx_to_char, char_to_idx):
    """Continue ``prefix`` by ``num_chars`` characters with a Gluon :class:`RNNModel` (greedy); returns the text.

    Arguments as :func:`predict_rnn`, with ``model`` in place of the model function, its parameters and state
    initialiser (it has ``begin_state``).

    Example (untrained here, so the ten characters are arbitrary)::

        >>> from mxnet.gluon import rnn
        >>> corpus_indices, char_to_idx, idx_to_char, vocab_size = gb.load_data_time_machine()
        >>> model = gb.RNNModel(rnn.RNN(32), vocab_size)
        >>> model.initialize()
        >>> text = gb.predict_rnn_gluon('traveller', 10, model, vocab_size, mx.cpu(), idx_to_char, char_to_idx)
        >>> text[:9], len(text)
        ('traveller', 19)
    """
    state = model.begin_state(batch_size=1, ctx=ctx)
    output = [char_to_idx[prefix[0]]]
    for t in range(num_chars + len(prefix) - 1):
        last = output[-1] if isinstance(output[-1], nd.NDArray) else nd.array([output[-1]], ctx=ctx)
        X = last.reshape((1, 1))
        (Y, state) = model(X, state)
        if t < len(prefix) - 1:
            output.append(char_to_idx[prefix[t + 1]])
        else:
            output.append(Y.argmax(axis=1))
    return _decode(output, idx_to_char)


class RNNModel(nn.HybridBlock):
    """A Gluon recurrent layer (``rnn.RNN``, ``rnn.GRU``, ``rnn.LSTM``) followed by a dense output layer.

    A ``HybridBlock`` (gluonbook 0.8.10's was a ``Block``), so :func:`train_and_predict_rnn_gluon` runs it as one
    graph, with the same results.

    ``model(inputs, state)`` takes indices ``(batch_size, num_steps)`` and a state from ``begin_state``, and
    returns ``(output, state)`` with ``output`` of shape ``(num_steps * batch_size, vocab_size)``, time-major
    (rows ``t * batch_size ... (t + 1) * batch_size - 1`` are step ``t``), to match ``Y.T.reshape((-1,))``.

    Example::

        >>> from mxnet.gluon import rnn
        >>> model = gb.RNNModel(rnn.LSTM(8), vocab_size=43)
        >>> model.initialize()
        >>> X = nd.arange(10).reshape((2, 5))   # 2 sequences of 5 steps
        >>> output, state = model(X, model.begin_state(batch_size=2))
        >>> output.shape, [s.shape for s in state]   # an LSTM's state: hidden and memory cells
        ((10, 43), [(1, 2, 8), (1, 2, 8)])
    """

    def __init__(self, rnn_layer, vocab_size, **kwargs):
        super().__init__(**kwargs)
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.dense = nn.Dense(vocab_size)

    def hybrid_forward(self, F, inputs, state):
        X = F.one_hot(F.transpose(inputs), self.vocab_size)  # (num_steps, batch_size, vocab_size)
        Y, state = self.rnn(X, state)
        output = self.dense(F.reshape(Y, (-3, 0)))  # (num_steps * batch_size, num_hiddens)
        return output, state

    def begin_state(self, *args, **kwargs):
        return self.rnn.begin_state(*args, **kwargs)


@dataclasses.dataclass
class RNNHistory:
    """What a train-and-predict run measured: one perplexity and one duration per epoch, and the predictions
    printed (``(epoch, text)`` pairs)."""
    perplexity: list = dataclasses.field(default_factory=list)
    seconds: list = dataclasses.field(default_factory=list)
    predictions: list = dataclasses.field(default_factory=list)

    def __repr__(self):  # one line where a notebook cell ends with the training call
        if not self.perplexity:
            return '<RNNHistory: no finished epoch>'
        return (f'<RNNHistory: {len(self.perplexity)} epochs, perplexity {self.perplexity[0]:.2f} -> '
                f'{self.perplexity[-1]:.2f}, {sum(self.seconds):.1f} sec>')


def _end_epoch(history, epoch, loss_sum, batches, start, pred_period, prefixes, predict):
    perplexity = math.exp(loss_sum.asscalar() / batches)
    history.perplexity.append(perplexity)
    history.seconds.append(time.time() - start)
    if (epoch + 1) % pred_period == 0:
        print('epoch %d, perplexity %f, time %.2f sec' % (epoch + 1, perplexity, history.seconds[-1]))
        for prefix in prefixes:
            text = predict(prefix)
            history.predictions.append((epoch + 1, text))
            print(' -', text)


def train_and_predict_rnn(rnn, get_params, init_rnn_state, num_hiddens, vocab_size, ctx, corpus_indices,
                          idx_to_char, char_to_idx, is_random_iter, num_epochs, num_steps, lr, clipping_theta,
                          batch_size, pred_period, pred_len, prefixes):
    """Train a from-scratch recurrent model on a character corpus, printing its perplexity and predictions.

    Args:
        rnn, get_params, init_rnn_state: the model function, a function returning fresh parameters (with
            gradients attached), and the state initialiser, as written in the chapter.
        num_hiddens, vocab_size, ctx: sizes and the context.
        corpus_indices, idx_to_char, char_to_idx: from :func:`load_data_time_machine`.
        is_random_iter: sample with :func:`data_iter_random` (a fresh state per batch) or
            :func:`data_iter_consecutive` (the state carried on, detached, through the epoch).
        num_epochs, num_steps, lr, clipping_theta, batch_size: training settings (gradients are those of the
            mean loss, clipped by :func:`grad_clipping`, then ``gb.sgd(params, lr, 1)``).
        pred_period, pred_len, prefixes: every ``pred_period`` epochs, print
            ``epoch E, perplexity P, time T sec`` and the continuation of each prefix by ``pred_len`` characters.

    Returns:
        RNNHistory: the perplexity and seconds of every epoch, and the predictions printed.

    Example (the chapter's RNN on the first 1,000 characters, for 5 epochs; the book trains 256 hidden units on
    all 10,000 for 250 epochs, with ``num_steps=35, lr=1e2, clipping_theta=1e-2, batch_size=32``)::

        >>> corpus_indices, char_to_idx, idx_to_char, vocab_size = gb.load_data_time_machine()
        >>> num_hiddens, ctx = 32, mx.cpu()
        >>> def get_params():
        ...     params = [nd.random.normal(scale=0.01, shape=shape, ctx=ctx) for shape in [
        ...         (vocab_size, num_hiddens), (num_hiddens, num_hiddens), (num_hiddens,),
        ...         (num_hiddens, vocab_size), (vocab_size,)]]
        ...     for param in params:
        ...         param.attach_grad()
        ...     return params
        >>> def init_rnn_state(batch_size, num_hiddens, ctx):
        ...     return (nd.zeros(shape=(batch_size, num_hiddens), ctx=ctx),)
        >>> def rnn(inputs, state, params):
        ...     W_xh, W_hh, b_h, W_hq, b_q = params
        ...     H, = state
        ...     outputs = []
        ...     for X in inputs:
        ...         H = nd.tanh(nd.dot(X, W_xh) + nd.dot(H, W_hh) + b_h)
        ...         outputs.append(nd.dot(H, W_hq) + b_q)
        ...     return outputs, (H,)
        >>> history = gb.train_and_predict_rnn(rnn, get_params, init_rnn_state, num_hiddens, vocab_size, ctx,
        ...                                    corpus_indices[:1000], idx_to_char, char_to_idx, False, 5, 10,
        ...                                    1e2, 1e-2, 8, 5, 10, ['traveller'])
        epoch 5, perplexity ..., time ... sec
         - traveller...
        >>> len(history.perplexity), history.perplexity[-1] < history.perplexity[0]
        (5, True)
    """
    data_iter_fn = data_iter_random if is_random_iter else data_iter_consecutive
    params = get_params()
    loss = gloss.SoftmaxCrossEntropyLoss()
    history = RNNHistory()
    estimate = TimeEstimate()  # a line, early in the first epoch, when the run will take half a minute or more
    estimate.start(_num_batches(corpus_indices, batch_size, num_steps, is_random_iter), num_epochs)

    def predict(prefix):
        return predict_rnn(prefix, pred_len, rnn, params, init_rnn_state, num_hiddens, vocab_size, ctx,
                           idx_to_char, char_to_idx)

    for epoch in range(num_epochs):
        if not is_random_iter:  # consecutive sampling: one state for the whole epoch
            state = init_rnn_state(batch_size, num_hiddens, ctx)
        loss_sum, batches, start = nd.zeros(1, ctx), 0, time.time()
        with mx.engine.bulk(BULK_SIZE):  # MXNet's engine takes the small operators in groups: the same results
            for X, Y in data_iter_fn(corpus_indices, batch_size, num_steps, ctx):
                if is_random_iter:  # random sampling: a new state for every batch
                    state = init_rnn_state(batch_size, num_hiddens, ctx)
                else:  # cut the graph at the batch boundary
                    for s in state:
                        s.detach()
                with autograd.record():
                    inputs = to_onehot(X, vocab_size)
                    (outputs, state) = rnn(inputs, state, params)
                    outputs = nd.concat(*outputs, dim=0)  # (num_steps * batch_size, vocab_size)
                    y = Y.T.reshape((-1,))
                    l = loss(outputs, y).mean()
                l.backward()
                grad_clipping(params, clipping_theta, ctx)
                sgd(params, lr, 1)  # the loss is a mean already
                loss_sum += l
                batches += 1
                estimate.batch_done()
        _end_epoch(history, epoch, loss_sum, batches, start, pred_period, prefixes, predict)
    return history


def _num_batches(corpus_indices, batch_size, num_steps, is_random_iter):
    """How many batches an epoch of :func:`data_iter_random` (``is_random_iter``) or
    :func:`data_iter_consecutive` has."""
    if is_random_iter:
        return (len(corpus_indices) - 1) // num_steps // batch_size
    return (len(corpus_indices) // batch_size - 1) // num_steps


def train_and_predict_rnn_gluon(model, num_hiddens, vocab_size, ctx, corpus_indices, idx_to_char, char_to_idx,
                                num_epochs, num_steps, lr, clipping_theta, batch_size, pred_period, pred_len,
                                prefixes):
    """Train a Gluon :class:`RNNModel` with consecutive sampling, printing its perplexity and predictions.

    The model is (re)initialised with ``Normal(0.01)`` on ``ctx`` and trained by a ``gluon.Trainer`` ('sgd',
    learning rate ``lr``, no momentum or weight decay), gradients clipped by :func:`grad_clipping`. A model that is
    a ``HybridBlock`` (as :class:`RNNModel`) runs hybridized during the call, with the same results, and is handed
    back as it came (not hybridized); a ``Block`` runs as it is. Other
    arguments, the printed lines and the returned :class:`RNNHistory` are those of :func:`train_and_predict_rnn`.

    Example (the RNN-with-Gluon section, shrunk: the book trains ``rnn.RNN(256)`` on all 10,000 characters for
    200 epochs, with ``num_steps=35, batch_size=32``)::

        >>> from mxnet.gluon import rnn
        >>> corpus_indices, char_to_idx, idx_to_char, vocab_size = gb.load_data_time_machine()
        >>> model = gb.RNNModel(rnn.RNN(32), vocab_size)
        >>> history = gb.train_and_predict_rnn_gluon(model, 32, vocab_size, mx.cpu(), corpus_indices[:1000],
        ...                                          idx_to_char, char_to_idx, 5, 10, 1e2, 1e-2, 8, 5, 10,
        ...                                          ['traveller'])
        epoch 5, perplexity ..., time ... sec
         - traveller...
        >>> len(history.perplexity), history.perplexity[-1] < history.perplexity[0]
        (5, True)
    """
    loss = gloss.SoftmaxCrossEntropyLoss()
    model.initialize(ctx=ctx, force_reinit=True, init=init.Normal(0.01))
    trainer = gluon.Trainer(model.collect_params(), 'sgd', {'learning_rate': lr, 'momentum': 0, 'wd': 0})
    history = RNNHistory()
    hybridize = isinstance(model, nn.HybridBlock) and not model._active  # a model already hybridized stays so
    if hybridize:
        model.hybridize()

    def predict(prefix):
        return predict_rnn_gluon(prefix, pred_len, model, vocab_size, ctx, idx_to_char, char_to_idx)

    try:
        _train_gluon(model, loss, trainer, history, ctx, corpus_indices, num_epochs, num_steps,
                     clipping_theta, batch_size, pred_period, prefixes, predict)
    finally:
        if hybridize:
            model.hybridize(False)
    return history


def _train_gluon(model, loss, trainer, history, ctx, corpus_indices, num_epochs, num_steps,
                 clipping_theta, batch_size, pred_period, prefixes, predict):
    estimate = TimeEstimate()  # as in train_and_predict_rnn
    estimate.start(_num_batches(corpus_indices, batch_size, num_steps, False), num_epochs)
    for epoch in range(num_epochs):
        loss_sum, batches, start = nd.zeros(1, ctx), 0, time.time()
        state = model.begin_state(batch_size=batch_size, ctx=ctx)
        with mx.engine.bulk(BULK_SIZE):
            for X, Y in data_iter_consecutive(corpus_indices, batch_size, num_steps, ctx):
                for s in state:
                    s.detach()
                with autograd.record():
                    (output, state) = model(X, state)
                    y = Y.T.reshape((-1,))
                    l = loss(output, y).mean()
                l.backward()
                params = [p.data(ctx) for p in model.collect_params().values()]  # known after the first forward
                grad_clipping(params, clipping_theta, ctx)
                trainer.step(1)  # the loss is a mean already
                loss_sum += l
                batches += 1
                estimate.batch_done()
        _end_epoch(history, epoch, loss_sum, batches, start, pred_period, prefixes, predict)
