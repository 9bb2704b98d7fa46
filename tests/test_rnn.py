"""gluonbook/rnn.py: the corpus, the two samplers, one-hot inputs, clipping, prediction and the training loops."""
import math
import random
import re

import mxnet as mx
import numpy as np
import pytest
from mxnet import nd
from mxnet.gluon import rnn

import gluonbook as gb


@pytest.fixture(scope='module')
def corpus():
    return gb.load_data_time_machine()


def test_the_time_machine_corpus(corpus):
    corpus_indices, char_to_idx, idx_to_char, vocab_size = corpus
    assert len(corpus_indices) == 10000 and vocab_size == len(idx_to_char) == len(char_to_idx)
    text = ''.join(idx_to_char[i] for i in corpus_indices)
    assert text.startswith('the time machine, by h. g. wells ') and text == text.lower() and '\n' not in text
    assert all(char_to_idx[c] == i for i, c in enumerate(idx_to_char))


def test_random_sampling_covers_disjoint_subsequences_shifted_by_one():
    random.seed(0)
    batches = list(gb.data_iter_random(list(range(30)), batch_size=2, num_steps=6))
    assert len(batches) == 2  # (30 - 1) // 6 = 4 subsequences, two batches of two
    rows = [row for X, Y in batches for row in X.asnumpy().tolist()]
    assert sorted(r[0] for r in rows) == [0, 6, 12, 18]
    for X, Y in batches:
        assert X.shape == Y.shape == (2, 6) and X.dtype == np.float32
        np.testing.assert_array_equal(Y.asnumpy(), X.asnumpy() + 1)


def test_random_sampling_is_the_book_packages_for_the_same_seed():
    """gluonbook 0.8.10 shuffles with Python's random.shuffle: the same seed gives the same batches."""
    def book(corpus_indices, batch_size, num_steps):  # gluonbook 0.8.10's data_iter_random, verbatim
        num_examples = (len(corpus_indices) - 1) // num_steps
        epoch_size = num_examples // batch_size
        example_indices = list(range(num_examples))
        random.shuffle(example_indices)

        def _data(pos):
            return corpus_indices[pos: pos + num_steps]
        for i in range(epoch_size):
            i = i * batch_size
            batch_indices = example_indices[i: i + batch_size]
            yield (nd.array([_data(j * num_steps) for j in batch_indices]),
                   nd.array([_data(j * num_steps + 1) for j in batch_indices]))

    corpus_indices = list(np.random.default_rng(0).integers(0, 40, 1000))
    random.seed(3)
    ours = [(X.asnumpy(), Y.asnumpy()) for X, Y in gb.data_iter_random(corpus_indices, 4, 7)]
    random.seed(3)
    theirs = [(X.asnumpy(), Y.asnumpy()) for X, Y in book(corpus_indices, 4, 7)]
    assert len(ours) == len(theirs) == 35
    for (a, b), (c, d) in zip(ours, theirs):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


def test_consecutive_sampling_continues_each_row():
    batches = list(gb.data_iter_consecutive(list(range(30)), batch_size=2, num_steps=6))
    assert [X.asnumpy().tolist() for X, _ in batches] == [
        [[0, 1, 2, 3, 4, 5], [15, 16, 17, 18, 19, 20]], [[6, 7, 8, 9, 10, 11], [21, 22, 23, 24, 25, 26]]]
    np.testing.assert_array_equal(batches[1][1].asnumpy(), batches[1][0].asnumpy() + 1)


def test_to_onehot_gives_one_matrix_per_time_step():
    inputs = gb.to_onehot(nd.arange(10).reshape((2, 5)), 12)
    assert len(inputs) == 5 and inputs[0].shape == (2, 12)
    assert inputs[1].asnumpy().argmax(axis=1).tolist() == [1, 6]


@pytest.mark.parametrize('theta, scale', [(1.0, 1 / 5), (10.0, 1.0), (None, 1.0)])
def test_grad_clipping_scales_to_the_threshold_only_when_above_it(theta, scale):
    params = [nd.zeros(2), nd.zeros((1, 1))]
    for p in params:
        p.attach_grad()
    params[0].grad[:] = nd.array([3, 0])
    params[1].grad[:] = 4  # global norm 5
    gb.grad_clipping(params, theta, mx.cpu())
    np.testing.assert_allclose(params[0].grad.asnumpy(), [3 * scale, 0], rtol=1e-6)
    np.testing.assert_allclose(params[1].grad.asnumpy(), [[4 * scale]], rtol=1e-6)


def scratch_rnn(vocab_size, num_hiddens=32):
    ctx = mx.cpu()

    def get_params():
        def _one(shape):
            return nd.random.normal(scale=0.01, shape=shape, ctx=ctx)
        params = [_one((vocab_size, num_hiddens)), _one((num_hiddens, num_hiddens)), nd.zeros(num_hiddens),
                  _one((num_hiddens, vocab_size)), nd.zeros(vocab_size)]
        for param in params:
            param.attach_grad()
        return params

    def init_rnn_state(batch_size, num_hiddens, ctx):
        return (nd.zeros(shape=(batch_size, num_hiddens), ctx=ctx),)

    def model(inputs, state, params):
        W_xh, W_hh, b_h, W_hq, b_q = params
        H, = state
        outputs = []
        for X in inputs:
            H = nd.tanh(nd.dot(X, W_xh) + nd.dot(H, W_hh) + b_h)
            outputs.append(nd.dot(H, W_hq) + b_q)
        return outputs, (H,)
    return model, get_params, init_rnn_state


def test_predict_rnn_starts_with_the_prefix_and_adds_num_chars(corpus):
    _, char_to_idx, idx_to_char, vocab_size = corpus
    model, get_params, init_rnn_state = scratch_rnn(vocab_size)
    text = gb.predict_rnn('traveller', 10, model, get_params(), init_rnn_state, 32, vocab_size, mx.cpu(),
                          idx_to_char, char_to_idx)
    assert text.startswith('traveller') and len(text) == 19


@pytest.mark.parametrize('is_random_iter', [True, False])
def test_train_and_predict_rnn_lowers_the_perplexity(corpus, capsys, is_random_iter):
    corpus_indices, char_to_idx, idx_to_char, vocab_size = corpus
    mx.random.seed(0)
    random.seed(0)
    model, get_params, init_rnn_state = scratch_rnn(vocab_size)
    history = gb.train_and_predict_rnn(model, get_params, init_rnn_state, 32, vocab_size, mx.cpu(),
                                       corpus_indices[:3000], idx_to_char, char_to_idx, is_random_iter, 10, 20, 1e2,
                                       1e-2, 16, 5, 10, ['traveller'])
    assert len(history.perplexity) == 10 and history.perplexity[-1] < 0.8 * history.perplexity[0]
    assert history.perplexity[0] < vocab_size * 1.2  # starts near uniform guessing
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == 'epoch 5, perplexity %f, time %.2f sec' % (history.perplexity[4], history.seconds[4])
    assert lines[1].startswith(' - traveller') and len(lines) == 4
    assert [e for e, _ in history.predictions] == [5, 10]
    assert repr(history).startswith('<RNNHistory: 10 epochs, perplexity ')


def test_the_gluon_model_and_its_loop(corpus, capsys):
    corpus_indices, char_to_idx, idx_to_char, vocab_size = corpus
    mx.random.seed(0)
    model = gb.RNNModel(rnn.GRU(32), vocab_size)
    model.initialize()
    X = nd.arange(10).reshape((2, 5))
    output, state = model(X, model.begin_state(batch_size=2))
    assert output.shape == (10, vocab_size) and state[0].shape == (1, 2, 32)
    history = gb.train_and_predict_rnn_gluon(model, 32, vocab_size, mx.cpu(), corpus_indices[:3000], idx_to_char,
                                             char_to_idx, 10, 20, 1e2, 1e-2, 16, 10, 10, ['time'])
    assert history.perplexity[-1] < 0.8 * history.perplexity[0]
    assert history.predictions[0][1].startswith('time') and len(history.predictions[0][1]) == 14
    assert 'epoch 10, perplexity' in capsys.readouterr().out
    assert math.isfinite(history.seconds[-1])


def sorted_corpus(corpus):
    """The corpus with its vocabulary in sorted order, so that a run does not depend on the hash seed."""
    corpus_indices, _, idx_to_char, _ = corpus
    chars = sorted(idx_to_char)
    char_to_idx = {c: i for i, c in enumerate(chars)}
    return [char_to_idx[idx_to_char[i]] for i in corpus_indices], char_to_idx, chars, len(chars)


def run_scratch_gru(corpus, is_random_iter):
    """The GRU section's model and loop, small (32 hidden units, 2 epochs on 3000 characters), seeds fixed."""
    corpus_indices, char_to_idx, idx_to_char, vocab_size = sorted_corpus(corpus)
    mx.random.seed(1)
    random.seed(1)
    _, get_params_rnn, init_state = scratch_rnn(vocab_size)

    def get_params():  # the GRU's: three gates' weights, then the output layer
        def _three():
            W_xh, W_hh, b_h, *_ = get_params_rnn()
            return W_xh, W_hh, b_h
        return [*_three(), *_three(), *_three(), *get_params_rnn()[3:]]

    def gru(inputs, state, params):
        W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q = params
        H, = state
        outputs = []
        for X in inputs:
            Z = nd.sigmoid(nd.dot(X, W_xz) + nd.dot(H, W_hz) + b_z)
            R = nd.sigmoid(nd.dot(X, W_xr) + nd.dot(H, W_hr) + b_r)
            H_tilda = nd.tanh(nd.dot(X, W_xh) + R * nd.dot(H, W_hh) + b_h)
            H = Z * H + (1 - Z) * H_tilda
            outputs.append(nd.dot(H, W_hq) + b_q)
        return outputs, (H,)
    return gb.train_and_predict_rnn(gru, get_params, init_state, 32, vocab_size, mx.cpu(), corpus_indices[:3000],
                                    idx_to_char, char_to_idx, is_random_iter, 2, 35, 1e2, 1e-2, 8, 2, 10,
                                    ['traveller'])


# What the loops computed before their per-step work was cut (same seeds, same machine): the same numbers.
SCRATCH_GRU = {False: [25.689577314198434, 20.565911232739012], True: [26.16376151823666, 20.666335834831653]}
GLUON_GRU = [25.705712843682317, 20.61771987525723, 19.989196559157843]


@pytest.mark.parametrize('is_random_iter', [False, True])
def test_the_scratch_loop_gives_the_same_numbers_as_before(corpus, is_random_iter):
    history = run_scratch_gru(corpus, is_random_iter)
    assert history.perplexity == pytest.approx(SCRATCH_GRU[is_random_iter], rel=1e-6)


def run_gluon_gru(corpus):
    corpus_indices, char_to_idx, idx_to_char, vocab_size = sorted_corpus(corpus)
    mx.random.seed(1)
    model = gb.RNNModel(rnn.GRU(32), vocab_size)
    return gb.train_and_predict_rnn_gluon(model, 32, vocab_size, mx.cpu(), corpus_indices[:3000], idx_to_char,
                                          char_to_idx, 3, 35, 1e2, 1e-2, 8, 3, 10, ['traveller'])


def test_the_gluon_loop_gives_the_same_numbers_as_before(corpus):
    assert run_gluon_gru(corpus).perplexity == pytest.approx(GLUON_GRU, rel=1e-6)


def test_to_onehot_gives_the_one_hot_of_each_step():
    X = nd.array([[0, 2, 1], [3, 3, 0]])
    inputs = gb.to_onehot(X, 4)
    assert isinstance(inputs, list) and len(inputs) == 3
    for t, x in enumerate(inputs):
        np.testing.assert_array_equal(x.asnumpy(), np.eye(4)[X.asnumpy()[:, t].astype(int)])


def test_the_gluon_model_hybridized_gives_the_same_outputs_and_state():
    model = gb.RNNModel(rnn.LSTM(16), 12)
    model.initialize(mx.init.Normal(0.1))
    X = nd.array([[0, 3, 5], [11, 2, 2]])
    results = []
    for hybridize in (False, True):
        model.hybridize(hybridize)
        output, state = model(X, model.begin_state(batch_size=2))
        results.append([output.asnumpy()] + [s.asnumpy() for s in state])
    assert results[0][0].shape == (6, 12) and len(results[0]) == 3  # LSTM: two state arrays
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize('length, batch_size, num_steps', [(30, 2, 6), (1000, 8, 10), (10000, 32, 35), (71, 3, 5)])
def test_the_estimate_counts_the_batches_the_samplers_yield(length, batch_size, num_steps):
    from gluonbook.rnn import _num_batches
    corpus = list(range(length))
    for random_iter, sampler in ((True, gb.data_iter_random), (False, gb.data_iter_consecutive)):
        assert _num_batches(corpus, batch_size, num_steps, random_iter) == len(
            list(sampler(corpus, batch_size, num_steps)))


def test_both_loops_say_early_how_long_a_long_run_takes(corpus, capsys, monkeypatch):
    """The line a run of half a minute or more prints early in its first epoch; here every run counts as long."""
    import functools

    import gluonbook.rnn
    monkeypatch.setattr(gluonbook.rnn, 'TimeEstimate', functools.partial(gb.callbacks.TimeEstimate, threshold=0))
    corpus_indices, char_to_idx, idx_to_char, vocab_size = corpus
    model, get_params, init_rnn_state = scratch_rnn(vocab_size)
    gb.train_and_predict_rnn(model, get_params, init_rnn_state, 32, vocab_size, mx.cpu(), corpus_indices[:3000],
                             idx_to_char, char_to_idx, False, 3, 20, 1e2, 1e-2, 16, 3, 10, ['traveller'])
    gb.train_and_predict_rnn_gluon(gb.RNNModel(rnn.GRU(32), vocab_size), 32, vocab_size, mx.cpu(),
                                   corpus_indices[:3000], idx_to_char, char_to_idx, 3, 20, 1e2, 1e-2, 16, 3, 10,
                                   ['time'])
    lines = capsys.readouterr().out.splitlines()
    estimate = r'epoch 1: about \d+ s per epoch, \d+ s for 3 epochs \(measured on [2-5] batches\)$'
    assert [i for i, line in enumerate(lines) if re.match(estimate, line)] == [0, 3]  # each run's first line
    assert lines[1].startswith('epoch 3, perplexity') and lines[4].startswith('epoch 3, perplexity')
