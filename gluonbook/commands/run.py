"""Run a chapter notebook: execute it, stream what it prints, save the executed notebook and its figures.

    python -m gluonbook run mlp-scratch            # writes out/mlp-scratch/mlp-scratch.ipynb and fig-*.png
    python -m gluonbook run mlp-scratch --out DIR

NAME is a notebook in chapters/ (without .ipynb) or a path to any .ipynb. A cell that fails is named, with its
error, and the exit code is 1; an unknown NAME lists the chapters and exits 2.
"""
import base64
import os
import sys
from pathlib import Path

CHAPTERS = Path(__file__).resolve().parents[1] / 'chapters'  # installed with the package; ./chapters links here


def available():
    """The chapters' names, as ``run`` takes them."""
    return sorted(p.stem for p in CHAPTERS.glob('*.ipynb'))


def find(name):
    """The notebook a name stands for: a chapter in chapters/, or a path to an .ipynb."""
    path = Path(name)
    if path.suffix == '.ipynb' and path.exists():
        return path
    path = CHAPTERS / f'{name}.ipynb'
    if path.exists():
        return path
    raise FileNotFoundError(f'no chapter {name!r}; the chapters are: {", ".join(available())}')


class ChapterError(RuntimeError):
    """A cell of a chapter failed."""


def run(path, out, timeout=1200, echo=True):
    """Execute the notebook at ``path``; write it, executed, and its figures (PNG) to the folder ``out``.

    Returns ``(executed notebook, list of figure paths)``. Raises :class:`ChapterError` naming the cell that failed;
    the executed part is written all the same."""
    import nbformat
    from nbclient import NotebookClient

    class StreamingClient(NotebookClient):
        """Prints each stream output of the kernel as it arrives."""
        def output(self, outs, msg, display_id, cell_index):
            if echo and msg['msg_type'] == 'stream':
                stream = sys.stdout if msg['content'].get('name') == 'stdout' else sys.stderr
                stream.write(msg['content']['text'])
                stream.flush()
            return super().output(outs, msg, display_id, cell_index)

    path, out = Path(path), Path(out)
    nb = nbformat.read(path, as_version=4)
    failed = []
    client = StreamingClient(nb, timeout=timeout, kernel_name='python3',
                             resources={'metadata': {'path': str(path.parent)}},
                             extra_arguments=['--IPKernelApp.log_level=ERROR'],  # not its notice about TCP
                             on_cell_error=lambda cell, cell_index, execute_reply: failed.append(cell_index))
    error = None
    try:
        # the kernel's environment only (not ours): every figure it draws also carries a PNG, saved below
        client.execute(env={**os.environ, 'GLUONBOOK_FIGURE_FORMATS': 'png'})
    except Exception as e:  # noqa: BLE001 - reported below, after the partial notebook is saved
        error = e
    out.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out / path.name)
    figures = save_figures(nb, out)
    if error is not None:
        raise ChapterError(describe_failure(nb, failed, error)) from None
    return nb, figures


def save_figures(nb, out):
    """Write every PNG the notebook's outputs carry as ``fig-<cell>-<n>.png``; returns their paths."""
    paths = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get('outputs', []):
            png = output.get('data', {}).get('image/png')
            if png:
                paths.append(out / f'fig-{index}-{len(paths) + 1}.png')
                paths[-1].write_bytes(base64.b64decode(png))
    return paths


def describe_failure(nb, failed, error):
    """Which cell failed and how, in one paragraph."""
    if not failed:
        return f'the chapter could not be run: {type(error).__name__}: {error}'
    index = failed[0]
    source = nb.cells[index].source.strip().splitlines()
    errors = [o for o in nb.cells[index].get('outputs', []) if o.get('output_type') == 'error']
    what = f'{errors[0].ename}: {errors[0].evalue}' if errors else f'{type(error).__name__}: {error}'
    return f'cell {index} ({source[0] if source else "empty"!r}) failed: {what}'


def add_arguments(parser):
    parser.add_argument('name', help=f'a chapter ({", ".join(available()) or "none found"}) or a path to .ipynb')
    parser.add_argument('--out', help='folder for the executed notebook and its figures (default out/NAME)')
    parser.add_argument('--timeout', type=int, default=1200, help='seconds a cell may take (default 1200)')


def main(args):
    try:
        path = find(args.name)
    except FileNotFoundError as e:
        print(e, file=sys.stderr)
        return 2
    out = Path(args.out or Path('out') / path.stem)
    try:
        _, figures = run(path, out, args.timeout)
    except ChapterError as e:
        print(f'{path.name}: {e}\nThe executed part is in {out / path.name}', file=sys.stderr)
        return 1
    print(f'executed notebook: {out / path.name}; figures: {len(figures)} PNG file(s) in {out}')
    return 0
