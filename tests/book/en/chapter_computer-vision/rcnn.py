# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_computer-vision/rcnn.md: its code cells in order, unmodified

# %%
from mxnet import nd

X = nd.arange(16).reshape((1, 1, 4, 4))
X

# %%
rois = nd.array([[0, 0, 0, 20, 20], [0, 0, 10, 30, 30]])

# %%
nd.ROIPooling(X, rois, pooled_size=(2, 2), spatial_scale=0.1)
