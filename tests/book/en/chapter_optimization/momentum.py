# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_optimization/momentum.md: its code cells in order, unmodified

# %%
%matplotlib inline
import gluonbook as gb
from mxnet import nd

eta = 0.4

def f_2d(x1, x2):
    return 0.1 * x1 ** 2 + 2 * x2 ** 2

def gd_2d(x1, x2, s1, s2):
    return (x1 - eta * 0.2 * x1, x2 - eta * 4 * x2, 0, 0)

gb.show_trace_2d(f_2d, gb.train_2d(gd_2d))

# %%
eta = 0.6
gb.show_trace_2d(f_2d, gb.train_2d(gd_2d))

# %%
def momentum_2d(x1, x2, v1, v2):
    v1 = gamma * v1 + eta * 0.2 * x1
    v2 = gamma * v2 + eta * 4 * x2
    return x1 - v1, x2 - v2, v1, v2

eta, gamma = 0.4, 0.5
gb.show_trace_2d(f_2d, gb.train_2d(momentum_2d))

# %%
eta = 0.6
gb.show_trace_2d(f_2d, gb.train_2d(momentum_2d))

# %%
features, labels = gb.get_data_ch7()

def init_momentum_states():
    v_w = nd.zeros((features.shape[1], 1))
    v_b = nd.zeros(1)
    return (v_w, v_b)

def sgd_momentum(params, states, hyperparams):
    for p, v in zip(params, states):
        v[:] = hyperparams['momentum'] * v + hyperparams['lr'] * p.grad
        p[:] -= v

# %%
gb.train_ch7(sgd_momentum, init_momentum_states(),
             {'lr': 0.02, 'momentum': 0.5}, features, labels)

# %%
gb.train_ch7(sgd_momentum, init_momentum_states(),
             {'lr': 0.02, 'momentum': 0.9}, features, labels)

# %%
gb.train_ch7(sgd_momentum, init_momentum_states(),
             {'lr': 0.004, 'momentum': 0.9}, features, labels)

# %%
gb.train_gluon_ch7('sgd', {'learning_rate': 0.004, 'momentum': 0.9}, features,
                   labels)
