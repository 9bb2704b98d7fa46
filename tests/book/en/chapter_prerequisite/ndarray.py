# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_prerequisite/ndarray.md: its code cells in order, unmodified

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
x = x.reshape((3, 4))
x

# %%
nd.zeros((2, 3, 4))

# %%
nd.ones((3, 4))

# %%
y = nd.array([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
y

# %%
nd.random.normal(0, 1, shape=(3, 4))

# %%
x + y

# %%
x * y

# %%
x / y

# %%
y.exp()

# %%
nd.dot(x, y.T)

# %%
nd.concat(x, y, dim=0), nd.concat(x, y, dim=1)

# %%
x == y

# %%
x.sum()

# %%
x.norm().asscalar()

# %%
a = nd.arange(3).reshape((3, 1))
b = nd.arange(2).reshape((1, 2))
a, b

# %%
a + b

# %%
x[1:3]

# %%
x[1, 2] = 9
x

# %%
x[1:2, :] = 12
x

# %%
before = id(y)
y = y + x
id(y) == before

# %%
z = y.zeros_like()
before = id(z)
z[:] = x + y
id(z) == before

# %%
nd.elemwise_add(x, y, out=z)
id(z) == before

# %%
before = id(x)
x += y
id(x) == before

# %%
import numpy as np

p = np.ones((2, 3))
d = nd.array(p)
d

# %%
d.asnumpy()
