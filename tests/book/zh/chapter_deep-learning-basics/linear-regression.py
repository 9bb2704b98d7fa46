# d2l-ai/d2l-zh @ v1.0.0 (abb4113be45c) chapter_deep-learning-basics/linear-regression.md: its code cells in order, unmodified

# %%
from mxnet import nd
from time import time

a = nd.ones(shape=1000)
b = nd.ones(shape=1000)

# %%
start = time()
c = nd.zeros(shape=1000)
for i in range(1000):
    c[i] = a[i] + b[i]
time() - start

# %%
start = time()
d = a + b
time() - start

# %%
a = nd.ones(shape=3)
b = 10
a + b
