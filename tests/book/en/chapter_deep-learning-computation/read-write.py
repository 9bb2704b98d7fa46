# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_deep-learning-computation/read-write.md: its code cells in order, unmodified

# %%
from mxnet import nd
from mxnet.gluon import nn

x = nd.arange(4)
nd.save('x-file', x)

# %%
x2 = nd.load('x-file')
x2

# %%
y = nd.zeros(4)
nd.save('x-files', [x, y])
x2, y2 = nd.load('x-files')
(x2, y2)

# %%
mydict = {'x': x, 'y': y}
nd.save('mydict', mydict)
mydict2 = nd.load('mydict')
mydict2

# %%
class MLP(nn.Block):
    def __init__(self, **kwargs):
        super(MLP, self).__init__(**kwargs)
        self.hidden = nn.Dense(256, activation='relu')
        self.output = nn.Dense(10)

    def forward(self, x):
        return self.output(self.hidden(x))

net = MLP()
net.initialize()
x = nd.random.uniform(shape=(2, 20))
y = net(x)

# %%
# Use save_parameters in MXNet of later versions, such as 1.2.1.
net.save_params('mlp.params')

# %%
clone = MLP()
# Use load_parameters in MXNet of later versions, such as 1.2.1.
clone.load_params('mlp.params')

# %%
yclone = clone(x)
yclone == y
