# d2l-ai/d2l-zh @ v1.0.0 (abb4113be45c) chapter_prerequisite/ndarray.md: its code cells in order, unmodified

# %%
from mxnet import nd

# %%
x = nd.arange(12)
x

# %%
x.shape

# %%
x.size

# %%
X = x.reshape((3, 4))
X

# %%
nd.zeros((2, 3, 4))

# %%
nd.ones((3, 4))

# %%
Y = nd.array([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
Y

# %%
nd.random.normal(0, 1, shape=(3, 4))

# %%
X + Y

# %%
X * Y

# %%
X / Y

# %%
Y.exp()

# %%
nd.dot(X, Y.T)

# %%
nd.concat(X, Y, dim=0), nd.concat(X, Y, dim=1)

# %%
X == Y

# %%
X.sum()

# %%
X.norm().asscalar()

# %%
A = nd.arange(3).reshape((3, 1))
B = nd.arange(2).reshape((1, 2))
A, B

# %%
A + B

# %%
X[1:3]

# %%
X[1, 2] = 9
X

# %%
X[1:2, :] = 12
X

# %%
before = id(Y)
Y = Y + X
id(Y) == before

# %%
Z = Y.zeros_like()
before = id(Z)
Z[:] = X + Y
id(Z) == before

# %%
nd.elemwise_add(X, Y, out=Z)
id(Z) == before

# %%
before = id(X)
X += Y
id(X) == before

# %%
import numpy as np

P = np.ones((2, 3))
D = nd.array(P)
D

# %%
D.asnumpy()
