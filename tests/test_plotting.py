"""gluonbook/plotting.py with matplotlib's Agg backend: what was drawn."""
import matplotlib

matplotlib.use('Agg')

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from mxnet import nd  # noqa: E402

import gluonbook as gb  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    gb.plt.close('all')


def test_show_fashion_mnist_draws_each_image_with_its_title():
    images = nd.array(np.arange(3 * 784).reshape(3, 1, 28, 28) % 255)
    axes = gb.show_fashion_mnist(images, ['coat', 'bag', 'shirt'])
    assert [ax.get_title() for ax in axes] == ['coat', 'bag', 'shirt']
    for ax, image in zip(axes, images.asnumpy()):
        np.testing.assert_array_equal(ax.get_images()[0].get_array(), image.reshape(28, 28))
        assert not ax.get_xaxis().get_visible()


def test_show_fashion_mnist_refuses_images_of_the_wrong_size():
    with pytest.raises(ValueError, match=r'28x28.*\(2, 32, 32\)'):
        gb.show_fashion_mnist(np.zeros((2, 32, 32)), ['a', 'b'])
    with pytest.raises(ValueError, match='2 images but 1 labels'):
        gb.show_fashion_mnist(np.zeros((2, 28, 28)), ['a'])


def test_show_images_draws_a_grid_with_titles():
    imgs = [nd.ones((28, 28, 1)) * i for i in range(6)]
    axes = gb.show_images(imgs, 2, 3, titles=[str(i) for i in range(6)])
    assert axes.shape == (2, 3)
    assert [ax.get_title() for ax in axes.flat] == ['0', '1', '2', '3', '4', '5']
    assert axes[1, 2].get_images()[0].get_array().shape == (28, 28)
    assert axes[1, 2].get_figure().get_size_inches().tolist() == [6, 4]


def test_show_images_wants_a_title_for_every_image_it_draws():
    with pytest.raises(ValueError, match='2 titles for 3 images'):
        gb.show_images([np.zeros((4, 4))] * 3, 1, 3, titles=['a', 'b'])
    axes = gb.show_images([np.zeros((4, 4))] * 5, 1, 3, titles=['a', 'b', 'c'])  # the grid holds three
    assert [ax.get_title() for ax in axes.flat] == ['a', 'b', 'c']


def test_semilogy_draws_two_curves_on_a_log_axis_with_a_legend():
    ax = gb.semilogy(range(1, 4), [1, 0.1, 0.01], 'epochs', 'loss', range(1, 4), [2, 0.2, 0.02], ['train', 'test'])
    assert ax.get_yscale() == 'log' and ax.get_xlabel() == 'epochs' and ax.get_ylabel() == 'loss'
    assert [list(line.get_ydata()) for line in ax.get_lines()] == [[1, 0.1, 0.01], [2, 0.2, 0.02]]
    assert ax.get_lines()[1].get_linestyle() == ':'
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ['train', 'test']
    assert gb.plt.rcParams['figure.figsize'] == [3.5, 2.5]


def test_set_figsize():
    gb.set_figsize((5, 4))
    assert gb.plt.rcParams['figure.figsize'] == [5, 4]
    gb.set_figsize()


def test_animator_keeps_every_point_it_was_given(monkeypatch):
    shown = []
    monkeypatch.setattr(gb.Animator, '_show', lambda self: shown.append(len(self.X)))
    animator = gb.Animator(xlabel='epoch', legend=['loss', 'acc'], xlim=[1, 3])
    for epoch in (1, 2, 3):
        animator.add(epoch, (1 / epoch, 0.5 + epoch / 10))
    lines = animator.ax.get_lines()
    assert [list(line.get_xdata()) for line in lines] == [[1, 2, 3]] * 2
    assert list(lines[1].get_ydata()) == pytest.approx([0.6, 0.7, 0.8])
    assert shown == [0, 1, 2, 3] and animator.ax.get_xlabel() == 'epoch'  # shown once before the first point
    assert all(line.get_marker() == 'o' for line in lines)  # after one epoch, a visible point
