"""gluonbook/text.py: the IMDB helpers on a small stand-in archive served from 127.0.0.1."""
import random

import pytest
from helpers import stand_in, tar_gz
from mxnet import nd

import gluonbook as gb

REVIEWS = {'train/pos/0_9.txt': b'A great movie\nI loved it', 'train/pos/1_8.txt': b'great great fun',
           'train/neg/2_1.txt': b'a bad movie', 'test/pos/3_10.txt': b'great', 'test/neg/4_2.txt': b'bad'}


@pytest.fixture
def imdb(book_cache, server, tmp_path, monkeypatch):
    srv = server
    body = tar_gz({f'aclImdb/{name}': text for name, text in REVIEWS.items()})
    spec = stand_in(monkeypatch, 'imdb', body, [srv.url])
    srv.routes['/' + spec.name] = [('body', body)]
    data_dir = tmp_path / 'data'
    yield str(data_dir)


def test_download_read_tokenize_and_index(imdb):
    assert gb.download_imdb(imdb).endswith('aclImdb')
    random.seed(0)
    train = gb.read_imdb('train', data_dir=imdb)
    assert sorted(train) == [['a bad movie', 0], ['a great movieI loved it'.lower(), 1], ['great great fun', 1]]
    assert gb.get_tokenized_imdb([['A b', 1]]) == [['a', 'b']]
    assert gb.count_tokens(gb.get_tokenized_imdb(train))['great'] == 3
    vocab = gb.get_vocab_imdb(train * 5)  # 'loved' 5 times: kept (min_freq 5)
    assert vocab.to_indices('great') > 0 and vocab.to_indices('loved') > 0
    features, labels = gb.preprocess_imdb(train, vocab)
    assert features.shape == (3, 500) and labels.shape == (3,)
    assert features[:, 5:].sum().asscalar() == 0  # padded with index 0
    assert features.dtype == labels.dtype == nd.zeros(1).dtype


def test_reviews_are_cut_to_500_tokens():
    class Vocab:
        def to_indices(self, tokens):
            return [1] * len(tokens)
    features, _ = gb.preprocess_imdb([[' '.join(['w'] * 600), 1]], Vocab())
    assert features.shape == (1, 500) and features.sum().asscalar() == 500


def test_predict_sentiment_uses_the_networks_context():
    from mxnet.gluon import nn

    class Vocab:
        def to_indices(self, tokens):
            return [0] * len(tokens)
    net = nn.Sequential()
    net.add(nn.Dense(2, use_bias=True))
    net.initialize()
    net(nd.zeros((1, 3)))
    net[0].bias.set_data(nd.array([0, 1]))
    net[0].weight.set_data(nd.zeros((2, 3)))
    assert gb.predict_sentiment(net, Vocab(), ['a', 'b', 'c']) == 'positive'
