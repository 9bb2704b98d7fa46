"""The sentiment-analysis chapters' helpers: the IMDB reviews, their vocabulary and padded index arrays.

The data set (Maas et al. 2011: 25,000 training and 25,000 test reviews, half positive, half negative, 84 MB)
is downloaded once, verified, and unpacked into the book's ``../data`` (see :mod:`gluonbook.datahub`).
"""
import collections
import os
import random

import numpy as np
from mxnet import nd
from mxnet.contrib import text

from . import bookdata, datahub

MAX_LEN = 500  # reviews are cut or padded (with index 0, the unknown token) to this many tokens


def download_imdb(data_dir='../data'):
    """Unpack the IMDB reviews into ``data_dir/aclImdb`` (``train/pos``, ``train/neg``, ``test/pos``,
    ``test/neg``: one text file per review).

    The archive comes from ``data_dir``, ``$GLUONBOOK_DATA``, the book's ``../data`` or MXNet's cache
    (``~/.mxnet/datasets/imdb``), or is downloaded there once and verified (sha1 ``01ada507...``). A folder
    already unpacked is left as it is. Returns the folder ``data_dir/aclImdb``."""
    folder = os.path.join(data_dir, 'aclImdb')
    if not os.path.isdir(os.path.join(folder, 'test', 'neg')):
        archive = datahub.locate('imdb/aclImdb_v1.tar.gz', data_dir if os.path.isdir(data_dir) else None).path
        bookdata.extract(archive, data_dir)
    return folder


def read_imdb(folder='train', data_dir='../data'):
    """The reviews of one split, lower-cased, line breaks removed, in a random order (Python's ``random``).

    Returns:
        list of ``[review, label]``: ``review`` a str, ``label`` 1 (positive) or 0 (negative).

    Example (an illustration: it downloads IMDb, 84 MB)::

        gb.download_imdb()
        train_data = gb.read_imdb('train')
        len(train_data), train_data[0][1] in (0, 1)   # (25000, True)
    """
    data = []
    for label in ['pos', 'neg']:
        folder_name = os.path.join(data_dir, 'aclImdb', folder, label)
        for file in os.listdir(folder_name):
            with open(os.path.join(folder_name, file), 'rb') as f:
                review = f.read().decode('utf-8').replace('\n', '').lower()
                data.append([review, 1 if label == 'pos' else 0])
    random.shuffle(data)
    return data


def count_tokens(samples):
    """How often each token occurs in ``samples`` (a list of lists of tokens): a ``collections.Counter``.

    Example::

        >>> gb.count_tokens([['a', 'b'], ['a']])
        Counter({'a': 2, 'b': 1})
    """
    return collections.Counter(token for sample in samples for token in sample)


def get_tokenized_imdb(data):
    """Each review of ``data`` (from :func:`read_imdb`) as a list of lower-cased words split on spaces."""
    return [[tok.lower() for tok in review.split(' ')] for review, _ in data]


def get_vocab_imdb(data):
    """A ``mxnet.contrib.text.vocab.Vocabulary`` of the words occurring at least 5 times in ``data``; index 0
    is the unknown token."""
    tokenized_data = get_tokenized_imdb(data)
    counter = count_tokens(tokenized_data)
    return text.vocab.Vocabulary(counter, min_freq=5)


def preprocess_imdb(data, vocab):
    """Reviews as indices, cut or padded to 500 tokens, and their labels.

    Returns:
        (features, labels): float32 NDArrays of shape ``(n, 500)`` and ``(n,)``.

    Example (an illustration: ``train_data`` is IMDb's, from :func:`read_imdb`)::

        vocab = gb.get_vocab_imdb(train_data)
        features, labels = gb.preprocess_imdb(train_data, vocab)
        features.shape   # (25000, 500)
    """
    tokenized_data = get_tokenized_imdb(data)
    features = np.zeros((len(tokenized_data), MAX_LEN), dtype=np.float32)
    for row, tokens in zip(features, tokenized_data):
        indices = vocab.to_indices(tokens[:MAX_LEN])
        row[:len(indices)] = indices
    labels = nd.array([score for _, score in data])
    return nd.array(features), labels


def predict_sentiment(net, vocab, sentence):
    """``'positive'`` or ``'negative'``: the class ``net`` predicts for ``sentence``, a list of words.

    The sentence is placed on the context of the network's parameters.

    Example (an illustration: ``net`` is a sentiment classifier trained on IMDb, ``vocab`` its vocabulary)::

        gb.predict_sentiment(net, vocab, ['this', 'movie', 'is', 'so', 'great'])   # 'positive'
    """
    ctx = next(iter(net.collect_params().values())).list_ctx()[0]
    sentence = nd.array(vocab.to_indices(sentence), ctx=ctx)
    label = nd.argmax(net(sentence.reshape((1, -1))), axis=1)
    return 'positive' if label.asscalar() == 1 else 'negative'
