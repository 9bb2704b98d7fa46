# d2l-ai/d2l-en @ cfaf60b0 (cfaf60b0a790) chapter_computational-performance/auto-parallelism.md: its code cells in order, unmodified

# %%
import gluonbook as gb
import mxnet as mx
from mxnet import nd

# %%
def run(x):
    return [nd.dot(x, x) for _ in range(10)]

# %%
x_cpu = nd.random.uniform(shape=(2000, 2000))
x_gpu = nd.random.uniform(shape=(6000, 6000), ctx=mx.gpu(0))

# %%
run(x_cpu)  # Warm-up begins.
run(x_gpu)
nd.waitall()  # Warm-up ends.

with gb.Benchmark('Run on CPU.'):
    run(x_cpu)
    nd.waitall()

with gb.Benchmark('Then run on GPU.'):
    run(x_gpu)
    nd.waitall()

# %%
with gb.Benchmark('Run on both CPU and GPU in parallel.'):
    run(x_cpu)
    run(x_gpu)
    nd.waitall()

# %%
def copy_to_cpu(x):
    return [y.copyto(mx.cpu()) for y in x]

with gb.Benchmark('Run on GPU.'):
    y = run(x_gpu)
    nd.waitall()

with gb.Benchmark('Then copy to CPU.'):
    copy_to_cpu(y)
    nd.waitall()

# %%
with gb.Benchmark('Run and copy in parallel.'):
    y = run(x_gpu)
    copy_to_cpu(y)
    nd.waitall()
