# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_crashcourse/autograd.md: its code cells in order, unmodified

# %%
from mxnet import autograd, nd

# %%
x = nd.arange(4).reshape((4, 1))
print(x)

# %%
x.attach_grad()

# %%
with autograd.record():
    y = 2 * nd.dot(x.T, x)
print(y)

# %%
y.backward()

# %%
print((x.grad - 4 * x).norm().asscalar() == 0)
print(x.grad)

# %%
print(autograd.is_training())
with autograd.record():
    print(autograd.is_training())

# %%
def f(a):
    b = a * 2
    while b.norm().asscalar() < 1000:
        b = b * 2
    if b.sum().asscalar() > 0:
        c = b
    else:
        c = 100 * b
    return c

# %%
a = nd.random.normal(shape=1)
a.attach_grad()
with autograd.record():
    d = f(a)
d.backward()

# %%
print(a.grad == (d / a))

# %%
with autograd.record():
    y = x * 2
    z = y * x

head_gradient = nd.array([10, 1., .1, .01])
z.backward(head_gradient)
print(x.grad)
