# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_prerequisite/lookup-api.md: its code cells in order, unmodified

# %%
from mxnet import nd

print(dir(nd.random))

# %%
help(nd.ones_like)

# %%
x = nd.array([[0, 0, 0], [2, 2, 2]])
y = x.ones_like()
y
