# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_crashcourse/linear-algebra.md: its code cells in order, unmodified

# %%
from mxnet import nd

# %%
x = nd.array([3.0])
y = nd.array([2.0])

print('x + y = ', x + y)
print('x * y = ', x * y)
print('x / y = ', x / y)
print('x ** y = ', nd.power(x,y))

# %%
x.asscalar()

# %%
x = nd.arange(4)
print('x = ', x)

# %%
x[3]

# %%
x.shape

# %%
a = 2
x = nd.array([1,2,3])
y = nd.array([10,20,30])
print(a * x)
print(a * x + y)

# %%
A = nd.arange(20).reshape((5,4))
print(A)

# %%
print(A.T)

# %%
X = nd.arange(24).reshape((2, 3, 4))
print('X.shape =', X.shape)
print('X =', X)

# %%
a = 2
x = nd.ones(3)
y = nd.zeros(3)
print(x.shape)
print(y.shape)
print((a * x).shape)
print((a * x + y).shape)

# %%
print(x)
print(nd.sum(x))

# %%
print(A)
print(nd.sum(A))

# %%
print(nd.mean(A))
print(nd.sum(A) / A.size)

# %%
x = nd.arange(4)
y = nd.ones(4)
print(x, y, nd.dot(x, y))

# %%
nd.sum(x * y)

# %%
nd.dot(A, x)

# %%
B = nd.ones(shape=(4, 3))
nd.dot(A, B)

# %%
nd.norm(x)

# %%
nd.sum(nd.abs(x))
