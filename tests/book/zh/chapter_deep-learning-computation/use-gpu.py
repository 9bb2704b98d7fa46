# d2l-ai/d2l-zh @ v1.0.0 (abb4113be45c) chapter_deep-learning-computation/use-gpu.md: its code cells in order, unmodified

# %%
!nvidia-smi  # 对Linux/macOS用户有效

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
a = nd.array([1, 2, 3], ctx=mx.gpu())
a

# %%
B = nd.random.uniform(shape=(2, 3), ctx=mx.gpu(1))
B

# %%
y = x.copyto(mx.gpu())
y

# %%
z = x.as_in_context(mx.gpu())
z

# %%
y.as_in_context(mx.gpu()) is y

# %%
y.copyto(mx.gpu()) is y

# %%
(z + 2).exp() * y

# %%
net = nn.Sequential()
net.add(nn.Dense(1))
net.initialize(ctx=mx.gpu())

# %%
net(y)

# %%
net[0].weight.data()
