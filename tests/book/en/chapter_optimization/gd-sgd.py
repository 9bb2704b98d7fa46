# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_optimization/gd-sgd.md: its code cells in order, unmodified

# %%
%matplotlib inline
import gluonbook as gb
import math
from mxnet import nd
import numpy as np

# %%
def gd(eta):
    x = 10
    results = [x]
    for i in range(10):
        x -= eta * 2 * x  # f(x) = x* the derivative of x is f'(x) = 2* x.
        results.append(x)
    print('epoch 10, x:', x)
    return results

res = gd(0.2)

# %%
def show_trace(res):
    n = max(abs(min(res)), abs(max(res)), 10)
    f_line = np.arange(-n, n, 0.1)
    gb.set_figsize()
    gb.plt.plot(f_line, [x * x for x in f_line])
    gb.plt.plot(res, [x * x for x in res], '-o')
    gb.plt.xlabel('x')
    gb.plt.ylabel('f(x)')

show_trace(res)

# %%
show_trace(gd(0.05))

# %%
show_trace(gd(1.1))

# %%
def train_2d(trainer):  # This function is saved in the gluonbook package for future use.
    x1, x2, s1, s2 = -5, -2, 0, 0  # s1 and s2 are states of the independent variable and will be used later in the chapter.
    results = [(x1, x2)]
    for i in range(20):
        x1, x2, s1, s2 = trainer(x1, x2, s1, s2)
        results.append((x1, x2))
    print('epoch %d, x1 %f, x2 %f' % (i + 1, x1, x2))
    return results

def show_trace_2d(f, results):  # This function is saved in the gluonbook package for future use.
    gb.plt.plot(*zip(*results), '-o', color='#ff7f0e')
    x1, x2 = np.meshgrid(np.arange(-5.5, 1.0, 0.1), np.arange(-3.0, 1.0, 0.1))
    gb.plt.contour(x1, x2, f(x1, x2), colors='#1f77b4')
    gb.plt.xlabel('x1')
    gb.plt.ylabel('x2')

# %%
eta = 0.1

def f_2d(x1, x2):  # Objective function.
    return x1 ** 2 + 2 * x2 ** 2

def gd_2d(x1, x2, s1, s2):
    return (x1 - eta * 2 * x1, x2 - eta * 4 * x2, 0, 0)

show_trace_2d(f_2d, train_2d(gd_2d))

# %%
def sgd_2d(x1, x2, s1, s2):
    return (x1 - eta * (2 * x1 + np.random.normal(0.1)),
            x2 - eta * (4 * x2 + np.random.normal(0.1)), 0, 0)

show_trace_2d(f_2d, train_2d(sgd_2d))
