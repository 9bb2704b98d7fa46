# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_deep-learning-basics/mlp.md: its code cells in order, unmodified

# %%
%matplotlib inline
import gluonbook as gb
from mxnet import autograd, nd

def xyplot(x_vals, y_vals, name):
    gb.set_figsize(figsize=(5, 2.5))
    gb.plt.plot(x_vals.asnumpy(), y_vals.asnumpy())
    gb.plt.xlabel('x')
    gb.plt.ylabel(name + '(x)')

# %%
x = nd.arange(-8.0, 8.0, 0.1)
x.attach_grad()
with autograd.record():
    y = x.relu()
xyplot(x, y, 'relu')

# %%
y.backward()
xyplot(x, x.grad, 'grad of relu')

# %%
with autograd.record():
    y = x.sigmoid()
xyplot(x, y, 'sigmoid')

# %%
y.backward()
xyplot(x, x.grad, 'grad of sigmoid')

# %%
with autograd.record():
    y = x.tanh()
xyplot(x, y, 'tanh')

# %%
y.backward()
xyplot(x, x.grad, 'grad of tanh')
