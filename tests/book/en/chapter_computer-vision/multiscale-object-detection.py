# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_computer-vision/multiscale-object-detection.md: its code cells in order, unmodified

# %%
%matplotlib inline
import gluonbook as gb
from mxnet import contrib, image, nd

img = image.imread('../img/catdog.jpg')
h, w = img.shape[0:2]
h, w

# %%
gb.set_figsize()

def display_anchors(fmap_w, fmap_h, s):
    fmap = nd.zeros((1, 10, fmap_w, fmap_h))  # The values from the first two dimensions will not affect the output.
    anchors = contrib.nd.MultiBoxPrior(fmap, sizes=s, ratios=[1, 2, 0.5])
    bbox_scale = nd.array((w, h, w, h))
    gb.show_bboxes(gb.plt.imshow(img.asnumpy()).axes, anchors[0] * bbox_scale)

# %%
display_anchors(fmap_w=4, fmap_h=4, s=[0.15])

# %%
display_anchors(fmap_w=2, fmap_h=2, s=[0.4])

# %%
display_anchors(fmap_w=1, fmap_h=1, s=[0.8])
