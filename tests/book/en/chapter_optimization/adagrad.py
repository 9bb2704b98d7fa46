# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_optimization/adagrad.md: its code cells in order, unmodified

# %%
%matplotlib inline
import gluonbook as gb
import math
from mxnet import nd

def adagrad_2d(x1, x2, s1, s2):
    g1, g2, eps = 0.2 * x1, 4 * x2, 1e-6  # The first two terms are the independent variable gradients.
    s1 += g1 ** 2
    s2 += g2 ** 2
    x1 -= eta / math.sqrt(s1 + eps) * g1
    x2 -= eta / math.sqrt(s2 + eps) * g2
    return x1, x2, s1, s2

def f_2d(x1, x2):
    return 0.1 * x1 ** 2 + 2 * x2 ** 2

eta = 0.4
gb.show_trace_2d(f_2d, gb.train_2d(adagrad_2d))

# %%
eta = 2
gb.show_trace_2d(f_2d, gb.train_2d(adagrad_2d))

# %%
features, labels = gb.get_data_ch7()

def init_adagrad_states():
    s_w = nd.zeros((features.shape[1], 1))
    s_b = nd.zeros(1)
    return (s_w, s_b)

def adagrad(params, states, hyperparams):
    eps = 1e-6
    for p, s in zip(params, states):
        s[:] += p.grad.square()
        p[:] -= hyperparams['lr'] * p.grad / (s + eps).sqrt()

# %%
gb.train_ch7(adagrad, init_adagrad_states(), {'lr': 0.1}, features, labels)

# %%
gb.train_gluon_ch7('adagrad', {'learning_rate': 0.1}, features, labels)
