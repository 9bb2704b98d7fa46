# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_deep-learning-computation/use-gpu.md: its code cells in order, unmodified

# %%
!nvidia-smi

# %%
import mxnet as mx
from mxnet import nd
from mxnet.gluon import nn

mx.cpu(), mx.gpu(), mx.gpu(1)

# %%
x = nd.array([1, 2, 3])
x

# %%
x.context

# %%
x = nd.ones((2, 3), ctx=mx.gpu())
x

# %%
y = nd.random.uniform(shape=(2, 3), ctx=mx.gpu(1))
y

# %%
z = x.copyto(mx.gpu(1))
print(x)
print(z)

# %%
y + z

# %%
z = x.as_in_context(mx.gpu(1))
z

# %%
y.as_in_context(mx.gpu(1)) is y

# %%
y.copyto(mx.gpu()) is y

# %%
net = nn.Sequential()
net.add(nn.Dense(1))
net.initialize(ctx=mx.gpu())

# %%
net(x)

# %%
net[0].weight.data()
