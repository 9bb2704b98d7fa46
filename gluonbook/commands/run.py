"""Run a chapter notebook: execute it, stream what it prints, save the executed notebook and its figures.

  python -m gluonbook run mlp-scratch             # writes out/mlp-scratch/mlp-scratch.ipynb and its figures
  python -m gluonbook run mlp-scratch --out DIR
  python -m gluonbook run path/to/notebook.ipynb

NAME is a chapter in chapters/ (without .ipynb) or the path of any notebook file. Each figure is saved as
fig-CELL-N-SECTION.png: the number of the cell that drew it, the figure's number within that cell, and the
heading of the section the cell is in (fig-15-1-training.png is the first figure of cell 15, in "Training").

Exit codes: 0 the chapter ran; 1 a cell failed, or took longer than --timeout (it is named, with its error;
the executed part is saved); 2 bad arguments: an unknown chapter (the chapters are listed), a missing file, a file
that is not a notebook, an --out that cannot be written; 130 interrupted by Ctrl-C or SIGTERM, which stop the
kernel at once (the executed part is saved, and the line says where). Each of these is one line.
"""
import asyncio
import atexit
import base64
import contextlib
import json
import os
import re
import signal
import sys
import tempfile
import threading
from pathlib import Path

from .args import check_folder, positive

CHAPTERS = Path(__file__).resolve().parents[1] / 'chapters'  # installed with the package; ./chapters links here


def available():
    """The chapters' names, as ``run`` takes them."""
    return sorted(p.stem for p in CHAPTERS.glob('*.ipynb'))


def find(name):
    """The notebook a name stands for: a chapter in chapters/, or the path of a notebook file. A name that is a
    path (it ends in .ipynb, names a folder, or is an existing file) must exist."""
    path = Path(name)
    if path.is_file() or path.suffix == '.ipynb' or len(path.parts) > 1:
        if not path.exists():
            raise FileNotFoundError(f'no notebook file {name}; give the path of an .ipynb file or a chapter: '
                                    f'{", ".join(available())}')
        return path
    path = CHAPTERS / f'{name}.ipynb'
    if path.exists():
        return path
    raise FileNotFoundError(f'no chapter {name!r}; the chapters are: {", ".join(available())}')


class NotebookError(ValueError):
    """A file that cannot be read as a Jupyter notebook."""


def read(path):
    """The notebook at ``path`` (nbformat 4), checked; :class:`NotebookError` if it is not one."""
    import nbformat
    try:
        text = Path(path).read_text(encoding='utf-8')
    except (OSError, UnicodeDecodeError) as e:
        raise NotebookError(f'cannot read {path} as a notebook: {e}') from None
    try:
        content = json.loads(text)
    except ValueError:
        raise NotebookError(f'{path} is not a Jupyter notebook: it is not JSON') from None
    if not isinstance(content, dict) or 'cells' not in content or 'nbformat' not in content:
        raise NotebookError(f'{path} is JSON but not a Jupyter notebook (it has no "cells" and "nbformat")')
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as e:  # noqa: BLE001 - nbformat raises many kinds of error for a malformed notebook
        raise NotebookError(f'{path} is not a valid Jupyter notebook: {str(e).splitlines()[0]}') from None
    return nb


class ChapterError(RuntimeError):
    """A cell of a chapter failed, or the chapter could not be run."""


class Interrupted(RuntimeError):
    """The run was stopped by Ctrl-C or SIGTERM; the kernel is stopped and the executed part saved."""


def run(path, out, timeout=1200, echo=True):
    """Execute the notebook at ``path``; write it, executed, and its figures (PNG) to the folder ``out``.

    Returns ``(executed notebook, list of figure paths)``. Raises :class:`ChapterError` naming the cell that failed
    (or timed out), and :class:`Interrupted` on Ctrl-C or SIGTERM, which stop the kernel at once; either way the
    executed part is written first. What the kernel process itself writes to its stderr (its log, not the cells'
    output, which is in the notebook) stays out of the terminal: the last line of it is quoted if the kernel dies."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    class Client(NotebookClient):
        """Prints each stream output of the kernel as it arrives; remembers the cell running and a signal."""
        current, stopped_by = None, None

        def output(self, outs, msg, display_id, cell_index):
            if echo and msg['msg_type'] == 'stream':
                stream = sys.stdout if msg['content'].get('name') == 'stdout' else sys.stderr
                stream.write(msg['content']['text'])
                stream.flush()
            return super().output(outs, msg, display_id, cell_index)

        async def async_start_new_kernel(self, **kwargs):
            # nbclient has just set its own handlers, which shut the kernel down: these do that too, and remember
            with contextlib.suppress(RuntimeError):  # outside the main thread, signals are not ours to handle
                for signum in (signal.SIGINT, signal.SIGTERM):
                    asyncio.get_running_loop().add_signal_handler(signum, self.stop, signum)
            await super().async_start_new_kernel(**kwargs)
            if self.stopped_by:  # a signal while the kernel was starting
                await self.km.shutdown_kernel(now=True)

        def stop(self, signum):
            if self.stopped_by is None:
                self.stopped_by = signal.Signals(signum).name
                if self.km is not None and self.km.has_kernel:
                    self.stopping = asyncio.ensure_future(self.km.shutdown_kernel(now=True))

        async def async_execute_cell(self, cell, cell_index, **kwargs):
            if self.stopped_by:
                raise Interrupted(self.stopped_by)
            self.current = cell_index
            return await super().async_execute_cell(cell, cell_index, **kwargs)

    path, out = Path(path), Path(out)
    nb = read(path)
    failed = []
    client = Client(nb, timeout=timeout, kernel_name='python3', shutdown_kernel='immediate',
                    resources={'metadata': {'path': str(path.parent)}},
                    extra_arguments=['--IPKernelApp.log_level=ERROR'],  # not its notice about TCP
                    on_cell_error=lambda cell, cell_index, execute_reply: failed.append(cell_index))
    error, handlers = None, {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    with tempfile.TemporaryFile('w+', errors='replace') as kernel_log:
        try:
            # the kernel's environment only (not ours): every figure it draws also carries a PNG, saved below
            client.execute(env={**os.environ, 'GLUONBOOK_FIGURE_FORMATS': 'png'}, stderr=kernel_log)
        except Exception as e:  # noqa: BLE001 - reported below, after the partial notebook is saved
            error = e
        finally:
            atexit.unregister(client._cleanup_kernel)  # the kernel is stopped: nothing is left to clean at exit
            if threading.current_thread() is threading.main_thread():
                for signum, handler in handlers.items():  # nbclient leaves SIG_DFL behind
                    signal.signal(signum, handler)
        kernel_log.seek(0)
        last_words = last_line(kernel_log.read())
    out.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out / path.name)
    figures = save_figures(nb, out)
    where = cell_name(nb, failed[0] if failed else client.current)
    if client.stopped_by:
        raise Interrupted(f'interrupted ({client.stopped_by}) in {where}: the kernel is stopped')
    if error is None:
        return nb, figures
    if failed:
        errors = [o for o in nb.cells[failed[0]].get('outputs', []) if o.get('output_type') == 'error']
        what = f'{errors[0].ename}: {errors[0].evalue}' if errors else f'{type(error).__name__}: {error}'
        raise ChapterError(f'{where} failed: {first_line(what)}')
    if isinstance(error, CellTimeoutError):
        raise ChapterError(f'{where} did not finish within {timeout} seconds; give it longer with --timeout')
    if isinstance(error, DeadKernelError):
        raise ChapterError(f'the kernel died in {where} ({last_words or "it said nothing"})')
    raise ChapterError(f'the notebook could not be run: {type(error).__name__}: {first_line(str(error))}')


def cell_name(nb, index):
    """``cell 3 ('x = 1')``: the cell's number and first line (``the notebook`` before any cell ran)."""
    if index is None:
        return 'the notebook, before its first cell'
    source = nb.cells[index].source.strip().splitlines()
    return f'cell {index} ({source[0] if source else "empty"!r})'


def first_line(text):
    """The first line of ``text`` that is not blank ('' if there is none)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else ''


def last_line(text):
    """The last line of ``text`` that is not blank ('' if there is none)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ''


def save_figures(nb, out):
    """Write every PNG the notebook's outputs carry as ``fig-CELL-N-SECTION.png`` (see the module's docstring);
    returns their paths."""
    paths, section = [], ''
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == 'markdown':
            headings = [line for line in cell.source.splitlines() if line.startswith('#')]
            section = slug(headings[-1]) if headings else section
        n = 0
        for output in cell.get('outputs', []):
            png = output.get('data', {}).get('image/png')
            if png:
                n += 1
                paths.append(out / ('-'.join(filter(None, (f'fig-{index:02d}-{n}', section))) + '.png'))
                paths[-1].write_bytes(base64.b64decode(png))
    return paths


def slug(text, length=40):
    """``'## 1. The number of hidden units'`` as ``'1-the-number-of-hidden-units'``, at most ``length`` long."""
    words = re.findall(r'[a-z0-9]+', text.lower())
    name = ''
    for word in words:
        if len(name) + len(word) + 1 > length:
            break
        name = f'{name}-{word}' if name else word
    return name


def add_arguments(parser):
    parser.add_argument('name', metavar='NAME', help='a chapter (listed below) or the path of a notebook file')
    parser.epilog = f'chapters: {", ".join(available()) or "none found"}'

    parser.add_argument('--out', help='folder for the executed notebook and its figures (default out/NAME)')
    parser.add_argument('--timeout', type=positive(int), default=1200,
                        help='seconds a cell may take (default 1200)')


def main(args):
    try:
        import nbclient  # noqa: F401 - only to say what to install, before anything is done
        import nbformat  # noqa: F401
    except ImportError as e:
        print(f"error: gluonbook run needs nbclient, nbformat and ipykernel ({e}); install them with "
              f"pip install 'gluonbook[notebooks]'", file=sys.stderr)
        return 1
    try:
        path = find(args.name)
        read(path)
    except (FileNotFoundError, NotebookError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 2
    out = Path('out') / path.stem if args.out is None else args.out
    problem = check_folder(str(out), '--out')
    if problem:
        print(f'error: {problem}', file=sys.stderr)
        return 2
    out = Path(out)
    try:
        _, figures = run(path, out, args.timeout)
    except Interrupted as e:
        print(f'{path.name}: {e}; the executed part is in {out / path.name}', file=sys.stderr)
        return 130
    except ChapterError as e:
        print(f'{path.name}: {e}; the executed part is in {out / path.name}', file=sys.stderr)
        return 1
    print(f'executed notebook: {out / path.name}; figures: {len(figures)} PNG file(s) in {out}')
    return 0
