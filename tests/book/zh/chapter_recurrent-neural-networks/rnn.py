# d2l-ai/d2l-zh @ v1.0.0 (abb4113be45c) chapter_recurrent-neural-networks/rnn.md: its code cells in order, unmodified

# %%
from mxnet import nd

X, W_xh = nd.random.normal(shape=(3, 1)), nd.random.normal(shape=(1, 4))
H, W_hh = nd.random.normal(shape=(3, 4)), nd.random.normal(shape=(4, 4))
nd.dot(X, W_xh) + nd.dot(H, W_hh)

# %%
nd.dot(nd.concat(X, H, dim=1), nd.concat(W_xh, W_hh, dim=0))
