"""gluonbook/plotting.py with matplotlib's Agg backend: what was drawn."""
import matplotlib

matplotlib.use('Agg')

import subprocess  # noqa: E402
import sys  # noqa: E402

import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from mxnet import nd  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

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


def test_show_fashion_mnist_draws_in_grey_and_names_numeric_labels():
    images = nd.array(np.arange(2 * 784).reshape(2, 28, 28) % 255)
    for labels in (nd.array([9, 0]), np.array([9, 0]), [9, 0]):
        axes = gb.show_fashion_mnist(images, labels)
        assert [ax.get_title() for ax in axes] == ['ankle boot', 't-shirt']
        assert all(ax.get_images()[0].get_cmap().name == 'gray' for ax in axes)


def test_show_fashion_mnist_with_no_images_says_so():
    for empty in (np.zeros((0, 1, 28, 28)), []):
        with pytest.raises(ValueError, match=r'got no images.*give at least one'):
            gb.show_fashion_mnist(empty, [])


def test_show_images_titles_numbers_as_numbers_and_single_channel_in_grey():
    axes = gb.show_images(nd.zeros((3, 4, 4, 1)), 1, 3, titles=nd.array([9, 0, 2.5]))
    assert [ax.get_title() for ax in axes.flat] == ['9', '0', '2.5']
    assert axes[0, 0].get_images()[0].get_cmap().name == 'gray'


def legend_place(ax):
    legend = ax.get_legend()
    return legend._loc, tuple(legend.get_bbox_to_anchor().bounds)  # where matplotlib was asked to put it


def test_animator_keeps_every_point_with_whole_points_labels_and_a_legend_that_stays(capsys):
    animator = gb.Animator(xlabel='epoch', ylabel='loss, accuracy', legend=['loss', 'acc'], xlim=[1, 3])
    assert animator.ax.get_lines() == [] and animator.ax.get_legend() is None  # no empty frame, no empty legend
    places = []
    for epoch in (1, 2, 3):
        animator.add(epoch, (1 / epoch, 0.5 + epoch / 10))
        places.append(legend_place(animator.ax))
    lines = animator.ax.get_lines()
    assert [list(line.get_xdata()) for line in lines] == [[1, 2, 3]] * 2
    assert list(lines[1].get_ydata()) == pytest.approx([0.6, 0.7, 0.8])
    assert all(line.get_marker() == 'o' for line in lines)  # after one epoch, a visible point
    left, right = animator.ax.get_xlim()
    assert left < 1 and right > 3  # the first and last points are whole, not cut by the frame
    assert [t for t in animator.ax.get_xticks() if left <= t <= right] == [1, 2, 3]
    assert (animator.ax.get_xlabel(), animator.ax.get_ylabel()) == ('epoch', 'loss, accuracy')
    assert [t.get_text() for t in animator.ax.get_legend().get_texts()] == ['loss', 'acc']
    assert places == [places[0]] * 3
    assert capsys.readouterr().out == ''  # outside a notebook nothing is shown: no 'Figure(350x250)' lines


PLOT_WITHOUT_IPYTHON = """
import sys
import matplotlib
matplotlib.use('Agg')
import numpy as np
import gluonbook.plotting as plotting
for name in [m for m in sys.modules if m == 'IPython' or m.startswith('IPython.')]:
    del sys.modules[name]  # what gluonbook's import itself loads is not the plotting helpers' doing
animator = plotting.Animator(xlabel='epoch', legend=['loss'], xlim=[1, 2])
animator.add(1, 0.5)
plotting.show_fashion_mnist(np.zeros((1, 28, 28)), ['bag'])
animator.fig.savefig(sys.argv[1])
print('IPython' in sys.modules)
"""


def test_plotting_outside_ipython_never_imports_it(tmp_path):
    out = subprocess.run([sys.executable, '-c', PLOT_WITHOUT_IPYTHON, str(tmp_path / 'a.png')], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == 'False' and (tmp_path / 'a.png').stat().st_size > 1000


class RecordingClient(NotebookClient):
    """nbclient, recording what the kernel sends, in order: ('text', text) or ('figure', whether it holds a drawing)."""
    def process_message(self, msg, cell, cell_index):
        content = msg['content']
        if msg['msg_type'] == 'stream':
            self.seen.append(('text', content['text']))
        elif msg['msg_type'] in ('display_data', 'update_display_data'):
            self.seen.append(('figure', 'image/svg+xml' in content['data']))
        return super().process_message(msg, cell, cell_index)


def test_the_live_figure_in_a_notebook_appears_with_its_first_point_above_the_epoch_lines():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        'import gluonbook as gb\n'
        'animator = gb.Animator(xlabel="epoch", legend=["loss"], xlim=[1, 2])\n'
        'for epoch in (1, 2):\n'
        '    print(f"epoch {epoch}")\n'
        '    animator.add(epoch, 1 / epoch)')]
    client = RecordingClient(nb, timeout=120, kernel_name='python3')
    client.seen = []
    client.execute()
    drawn = [i for i, (kind, what) in enumerate(client.seen) if kind == 'figure' and what]
    assert client.seen.index(('text', 'epoch 1\n')) < drawn[0]  # nothing drawn before the first point
    figure, *lines = nb.cells[0].outputs  # in the notebook: the figure first (updated in place), then the lines
    assert figure['output_type'] == 'display_data' and 'image/svg+xml' in figure['data']
    assert [o['output_type'] for o in lines] == ['stream'] * len(lines)
    assert ''.join(o['text'] for o in lines) == 'epoch 1\nepoch 2\n'
