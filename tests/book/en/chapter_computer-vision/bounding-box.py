# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_computer-vision/bounding-box.md: its code cells in order, unmodified

# %%
%matplotlib inline
import gluonbook as gb
from mxnet import image

# %%
gb.set_figsize()
img = image.imread('../img/catdog.jpg').asnumpy()
gb.plt.imshow(img);  # Add a semicolon to only display the image.

# %%
# bbox is the abbreviation for bounding box.
dog_bbox, cat_bbox = [60, 45, 378, 516], [400, 112, 655, 493]

# %%
def bbox_to_rect(bbox, color):  # This function is saved in the gluonbook package for future use.
    # Convert the bounding box (top-left x, top-left y, bottom-right x, bottom-right y) format to matplotlib format:
    # ((upper-left x, upper-left y), width, height).
    return gb.plt.Rectangle(
        xy=(bbox[0], bbox[1]), width=bbox[2]-bbox[0], height=bbox[3]-bbox[1],
        fill=False, edgecolor=color, linewidth=2)

# %%
fig = gb.plt.imshow(img)
fig.axes.add_patch(bbox_to_rect(dog_bbox, 'blue'))
fig.axes.add_patch(bbox_to_rect(cat_bbox, 'red'));
