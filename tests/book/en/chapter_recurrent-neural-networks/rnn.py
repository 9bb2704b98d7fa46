# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_recurrent-neural-networks/rnn.md: its code cells in order, unmodified

# %%
from mxnet import nd

# Data X and hidden state H
X = nd.random.normal(shape=(3, 1))
H = nd.random.normal(shape=(3, 2))

# Weights
W_xh = nd.random.normal(shape=(1, 2))
W_hh = nd.random.normal(shape=(2, 2))
W_hq = nd.random.normal(shape=(2, 3))

def net(X, H):
    H = nd.relu(nd.dot(X, W_xh) + nd.dot(H, W_hh))
    O = nd.relu(nd.dot(H, W_hq))
    return H, O

# %%
(H, O) = net(X,H)
print(H, O)

# %%

