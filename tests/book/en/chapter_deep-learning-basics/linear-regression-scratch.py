# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_deep-learning-basics/linear-regression-scratch.md: its code cells in order, unmodified

# %%
%matplotlib inline
from IPython import display
from matplotlib import pyplot as plt
from mxnet import autograd, nd
import random

# %%
num_inputs = 2
num_examples = 1000
true_w = nd.array([2, -3.4])
true_b = 4.2
features = nd.random.normal(scale=1, shape=(num_examples, num_inputs))
labels = nd.dot(features, true_w) + true_b
labels += nd.random.normal(scale=0.01, shape=labels.shape)

# %%
features[0], labels[0]

# %%
def use_svg_display():
    # Displayed in vector graphics.
    display.set_matplotlib_formats('svg')

def set_figsize(figsize=(3.5, 2.5)):
    use_svg_display()
    # Set the size of the graph to be plotted.
    plt.rcParams['figure.figsize'] = figsize

set_figsize()
plt.figure(figsize=(10, 6))
plt.scatter(features[:, 1].asnumpy(), labels.asnumpy(), 1);

# %%
# This function has been saved in the gluonbook package for future use.
def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)  # The examples are read at random, in no particular order.
    for i in range(0, num_examples, batch_size):
        j = nd.array(indices[i: min(i + batch_size, num_examples)])
        yield features.take(j), labels.take(j)
        # The “take” function will then return the corresponding element based on the indices.

# %%
batch_size = 10

for X, y in data_iter(batch_size, features, labels):
    print(X, y)
    break

# %%
w = nd.random.normal(scale=0.01, shape=(num_inputs, 1))
b = nd.zeros(shape=(1,))

# %%
w.attach_grad()
b.attach_grad()

# %%
def linreg(X, w, b):  # This function has been saved in the gluonbook package for future use.
    return nd.dot(X, w) + b

# %%
def squared_loss(y_hat, y):  # This function has been saved in the gluonbook package for future use.
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

# %%
def sgd(params, lr, batch_size):  # This function has been saved in the gluonbook package for future use.
    for param in params:
        param[:] = param - lr * param.grad / batch_size

# %%
lr = 0.03               # learning rate
num_epochs = 3          # number of iterations
net = linreg            # our fancy linear model
loss = squared_loss     # 0.5 (y-y')^2

for epoch in range(num_epochs):
    # Assuming the number of examples can be divided by the batch size, all the examples in
    # the training data set are used once in one epoch iteration.
    # The features and tags of mini-batch examples are given by X and y respectively.
    for X, y in data_iter(batch_size, features, labels):
        with autograd.record():
            l = loss(net(X, w, b), y)  # minibatch loss in X and y
        l.backward()                   # compute gradient on l with respect to [w,b]
        sgd([w, b], lr, batch_size)    # update parameters [w,b] using their gradient
    train_l = loss(net(features, w, b), labels)
    print('epoch %d, loss %f' % (epoch + 1, train_l.mean().asnumpy()))

# %%
print('Error in estimating w', true_w - w.reshape(true_w.shape))
print('Error in estimating b', true_b - b)
