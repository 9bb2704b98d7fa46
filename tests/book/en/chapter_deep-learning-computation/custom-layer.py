# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_deep-learning-computation/custom-layer.md: its code cells in order, unmodified

# %%
from mxnet import gluon, nd
from mxnet.gluon import nn

class CenteredLayer(nn.Block):
    def __init__(self, **kwargs):
        super(CenteredLayer, self).__init__(**kwargs)

    def forward(self, x):
        return x - x.mean()

# %%
layer = CenteredLayer()
layer(nd.array([1, 2, 3, 4, 5]))

# %%
net = nn.Sequential()
net.add(nn.Dense(128), CenteredLayer())
net.initialize()

# %%
y = net(nd.random.uniform(shape=(4, 8)))
y.mean().asscalar()

# %%
params = gluon.ParameterDict()
params.get('param2', shape=(2, 3))
params

# %%
class MyDense(nn.Block):
    # Units: the number of outputs in this layer; in_units: the number of inputs in this layer.
    def __init__(self, units, in_units, **kwargs):
        super(MyDense, self).__init__(**kwargs)
        self.weight = self.params.get('weight', shape=(in_units, units))
        self.bias = self.params.get('bias', shape=(units,))

    def forward(self, x):
        linear = nd.dot(x, self.weight.data()) + self.bias.data()
        return nd.relu(linear)

# %%
dense = MyDense(units=3, in_units=5)
dense.params

# %%
dense.initialize()
dense(nd.random.uniform(shape=(2, 5)))

# %%
net = nn.Sequential()
net.add(MyDense(8, in_units=64),
        MyDense(1, in_units=8))
net.initialize()
net(nd.random.uniform(shape=(2, 64)))
