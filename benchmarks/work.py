"""The work each measurement does: the MLP chapter's sizes and FLOP counts, the runs and their order."""


BATCH_SIZE, LR = 256, 0.5
N_TRAIN, N_TEST, N_IN, N_HIDDEN, N_OUT = 60000, 10000, 784, 256, 10
# One epoch, counted from the shapes: forward and backward over the training set, forward over the test set.
# Forward is one product per layer, 2*n*(784*256 + 256*10) flop. Backward needs the weight gradients of both
# layers and the input gradient of the second layer only (nobody asks for the gradient of the images):
# 2*n*(784*256 + 2*256*10). Hence training 2*n*(2*784*256 + 3*256*10), i.e. about 53.2 GFLOP per epoch.
FLOP_PER_EPOCH = (2 * N_TRAIN * (2 * N_IN * N_HIDDEN + 3 * N_HIDDEN * N_OUT)
                  + 2 * N_TEST * (N_IN * N_HIDDEN + N_HIDDEN * N_OUT))
FLOP_FORMULA = '2*60000*(2*784*256 + 3*256*10) + 2*10000*(784*256 + 256*10)'

# The matrix products of one epoch, (m, k, n) for an (m, k) by (k, n) product, with how many of each an epoch
# runs (batches of 256: 234.375 per training pass, 39.0625 per test pass).
TRAIN_BATCHES, TEST_BATCHES = N_TRAIN / BATCH_SIZE, N_TEST / BATCH_SIZE
PRODUCTS = [
    ((BATCH_SIZE, N_IN, N_HIDDEN), TRAIN_BATCHES + TEST_BATCHES),   # X W1, forward
    ((BATCH_SIZE, N_HIDDEN, N_OUT), TRAIN_BATCHES + TEST_BATCHES),  # H W2, forward
    ((N_IN, BATCH_SIZE, N_HIDDEN), TRAIN_BATCHES),                  # X^T dH: gradient of W1
    ((N_HIDDEN, BATCH_SIZE, N_OUT), TRAIN_BATCHES),                 # H^T dO: gradient of W2
    ((BATCH_SIZE, N_OUT, N_HIDDEN), TRAIN_BATCHES),                 # dO W2^T: gradient of H
]

RUNS = ['data', 'floor', 'scratch-book', 'scratch-gluonbook', 'gluon-book', 'gluon-gluonbook', 'rnn-loop', 'ch7-loop',
        'lenet', 'resized-input', 'alexnet-step', 'resnet-step']
LOOPS = ['rnn-loop', 'ch7-loop']  # the later chapters' loops, against gluonbook 0.8.10 in one process
CHAPTERS = ['lenet', 'resized-input', 'alexnet-step', 'resnet-step']  # the chapters readers wait for
