"""Plotting: display set-up, show_fashion_mnist, show_images, semilogy, live training curves.

Works in Jupyter on IPython 9 (SVG figures) and headless in scripts and tests (matplotlib's Agg backend).
IPython is imported only by a notebook (or an IPython shell): outside one, these helpers never load it.
"""
import sys

import numpy as np
from matplotlib import pyplot as plt
from matplotlib.ticker import MaxNLocator

__all__ = ['plt', 'use_svg_display', 'set_figsize', 'semilogy', 'show_images', 'show_fashion_mnist', 'Animator']


def _ipython():
    """The running IPython shell, or None. A running shell has imported IPython: if it is not loaded, no shell runs,
    and this check does not load it."""
    ipython = sys.modules.get('IPython')
    return ipython.get_ipython() if ipython else None


def use_svg_display():
    """Show figures as SVG in Jupyter (nothing to do outside IPython)."""
    if _ipython() is not None:
        from .display import set_matplotlib_formats
        set_matplotlib_formats('svg')


def set_figsize(figsize=(3.5, 2.5)):
    """Set the size of the figures matplotlib draws."""
    use_svg_display()
    plt.rcParams['figure.figsize'] = figsize


def semilogy(x_vals, y_vals, x_label, y_label, x2_vals=None, y2_vals=None, legend=None, figsize=(3.5, 2.5)):
    """Plot ``y_vals`` (and optionally ``y2_vals``, dotted) against x on a logarithmic y axis."""
    set_figsize(figsize)
    plt.xlabel(x_label)
    plt.ylabel(y_label)
    plt.semilogy(x_vals, y_vals)
    if x2_vals is not None and y2_vals is not None:
        plt.semilogy(x2_vals, y2_vals, linestyle=':')
        plt.legend(legend)
    return plt.gca()


def _as_numpy(images):
    return images.asnumpy() if hasattr(images, 'asnumpy') else np.asarray(images)


def _as_titles(labels):
    """Titles as text: an NDArray or numpy array of numbers becomes a list of Python numbers (9.0 -> '9'), not the
    repr of one-element arrays; a list of strings is kept."""
    if hasattr(labels, 'asnumpy') or isinstance(labels, np.ndarray):
        labels = _as_numpy(labels).ravel().tolist()
    return [str(int(t)) if isinstance(t, float) and t.is_integer() else str(t) for t in labels]


def _is_numeric(labels):
    return hasattr(labels, 'asnumpy') or (isinstance(labels, np.ndarray) and labels.dtype.kind in 'iuf') or (
        len(labels) and all(isinstance(t, (int, float, np.number)) for t in labels))


def show_images(imgs, num_rows, num_cols, scale=2, titles=None):
    """Draw images in a grid of ``num_rows`` by ``num_cols``, each optionally titled; returns the axes.

    Args:
        imgs: a sequence (a list, an NDArray or a numpy array) of images, each ``(h, w)``, ``(h, w, 1)`` (shown
            in grey, from black for the smallest value to white for the largest) or ``(h, w, 3)`` (RGB, floats in
            [0, 1] or integers 0 to 255). Fewer images than places leave the last places empty.
        num_rows, num_cols (int): the grid.
        scale (float): inches per image; the figure is ``num_cols * scale`` by ``num_rows * scale``.
        titles: at least ``len(imgs)`` titles: text, e.g. ``gb.get_fashion_mnist_labels(y)``, or numbers (a list,
            numpy array or NDArray), shown as numbers.

    Returns:
        A numpy array ``(num_rows, num_cols)`` of matplotlib ``Axes``, without ticks.

    Raises:
        ValueError: fewer titles than images drawn.

    Example:

    >>> X, y = gb.FashionMNIST(train=True)[0:18]
    >>> axes = gb.show_images(X, 2, 9, scale=1.4, titles=gb.get_fashion_mnist_labels(y))
    >>> axes.shape
    (2, 9)
    """
    shown = min(len(imgs), num_rows * num_cols)
    if titles is not None:
        titles = _as_titles(titles)
    if titles is not None and len(titles) < shown:
        raise ValueError(f'show_images got {len(titles)} titles for {shown} images; give one title per image, '
                         f'or titles=None')
    use_svg_display()
    _, axes = plt.subplots(num_rows, num_cols, figsize=(num_cols * scale, num_rows * scale), squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i < len(imgs):
            img = _as_numpy(imgs[i])
            ax.imshow(img.squeeze(-1) if img.ndim == 3 and img.shape[-1] == 1 else img, cmap='gray')
            if titles is not None:
                ax.set_title(titles[i])
        ax.axes.get_xaxis().set_visible(False)
        ax.axes.get_yaxis().set_visible(False)
    return axes


def show_fashion_mnist(images, labels):
    """Draw Fashion-MNIST images in a row, in grey, each titled with its label; returns the axes.

    ``labels`` are text (``gb.get_fashion_mnist_labels(y)``) or the numeric labels themselves (a list, numpy array
    or NDArray of 0..9), shown as the class names. No images at all is a ``ValueError``."""
    use_svg_display()
    images = _as_numpy(images)
    if len(images) == 0:
        raise ValueError(f'show_fashion_mnist got no images (an array of shape {images.shape}); give at least one, '
                         f'e.g. X[0:9]')
    if images.size % 784 or images.size // 784 != len(images):
        raise ValueError(f'show_fashion_mnist expects 28x28 images, e.g. of shape (n, 28, 28) or (n, 1, 28, 28), '
                         f'got an array of shape {images.shape}')
    if _is_numeric(labels):
        from .data import get_fashion_mnist_labels
        labels = get_fashion_mnist_labels(labels)
    if len(labels) != len(images):
        raise ValueError(f'{len(images)} images but {len(labels)} labels')
    _, figs = plt.subplots(1, len(images), figsize=(12, 12), squeeze=False)
    for f, img, lbl in zip(figs[0], images, labels):
        f.imshow(img.reshape((28, 28)), cmap='gray')
        f.set_title(lbl)
        f.axes.get_xaxis().set_visible(False)
        f.axes.get_yaxis().set_visible(False)
    return figs[0]


class Animator:
    """Curves that grow as training goes, one point per ``add``: redrawn in place in a notebook.

    In a notebook the figure takes its place at once (an empty output, so it stands above the lines training
    prints) and appears with the first point: never an empty frame. The x axis spans ``xlim`` with half a step of
    margin on each side, so the first and last points are whole, and has whole-number ticks; the legend sits above
    the axes, in the same place after every point. Outside a notebook nothing is shown: ``animator.fig`` is the
    figure, to save or show."""

    def __init__(self, xlabel=None, ylabel=None, legend=None, xlim=None, ylim=None, figsize=(3.5, 2.5)):
        use_svg_display()
        self.fig, self.ax = plt.subplots(figsize=figsize)
        plt.close(self.fig)  # shown through the display handle below, not again at the end of the cell
        self.labels, self.xlim, self.ylim, self.legend = (xlabel, ylabel), xlim, ylim, legend or []
        self.X, self.Y, self.handle = [], [], None
        shell = _ipython()
        if shell is not None and 'IPKernelApp' in shell.config:  # a notebook: hold the figure's place
            from IPython.display import display
            self.handle = display({'text/plain': ''}, raw=True, display_id=True)

    def add(self, x, ys):
        ys = list(ys) if np.ndim(ys) else [ys]
        if not self.Y:
            self.Y = [[] for _ in ys]
        self.X.append(x)
        for series, y in zip(self.Y, ys):
            series.append(y)
        self._draw()
        if self.handle is not None:
            self.handle.update(self.fig)

    def _draw(self):
        draw_curves(self.ax, self.X, self.Y, self.labels, self.xlim, self.ylim, self.legend)


def draw_curves(ax, X, Y, labels, xlim=None, ylim=None, legend=()):
    """What :class:`Animator` draws: each series of ``Y`` over ``X`` with a marker per point, whole-number x ticks
    with half a step of margin, the legend above the axes."""
    ax.cla()
    for series in Y:
        ax.plot(X, series, marker='o', markersize=3)  # a marker, so one epoch shows as a point
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if xlim:
        ax.set_xlim(xlim[0] - 0.5, xlim[1] + 0.5)
    if ylim:
        ax.set_ylim(ylim)
    if legend:
        ax.legend(legend, loc='lower center', bbox_to_anchor=(0.5, 1), ncols=len(legend), frameon=False,
                  fontsize='small', handlelength=1.5, columnspacing=1)
    ax.grid(True)


def plot_history(history):
    """The curves :class:`Animator` draws as ``gb.train`` runs (loss, train and test accuracy per epoch), drawn at
    once from a finished ``History``, as a matplotlib Figure that needs no display (the train command saves it)."""
    from matplotlib.figure import Figure
    fig = Figure(figsize=(3.5, 2.5), layout='tight')
    epochs = list(range(1, len(history) + 1))
    draw_curves(fig.subplots(), epochs, [history.loss, history.train_acc, history.test_acc],
                ('epoch', 'loss, accuracy'), xlim=(1, len(history)), legend=['train loss', 'train acc', 'test acc'])
    return fig
