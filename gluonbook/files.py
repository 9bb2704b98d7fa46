"""Files written whole or not at all, and paths checked before any work starts.

What the command line, the checkpoints, the data commands and the benchmark share: a file another process (or the
next run) reads is never seen half written, and a path that cannot be written is refused before a minute of
training is spent on the way to it.
"""
import os


def write_atomically(path, write):
    """Call ``write(tmp)`` with a temporary path beside ``path``, then move it into place in one step.

    If ``write`` fails (or is interrupted), the temporary file is removed and ``path`` keeps what it had. Returns
    ``path``.
    """
    path = os.fspath(path)
    tmp = f'{path}.tmp{os.getpid()}'
    try:
        write(tmp)
        with open(tmp, 'rb+') as f:  # on disk before it replaces the old copy: a crash leaves one or the other
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def folder_problem(path, option):
    """Why the folder ``path`` (given as ``option``) cannot be written into, or None. A folder that does not
    exist yet is fine if it can be created. Creates nothing."""
    path = os.fspath(path)
    if not path:
        return f'{option} is empty; give the path of a folder (it is created if missing)'
    if os.path.exists(path) and not os.path.isdir(path):
        return f'{option} {path} is a file, not a folder; give the path of a folder (it is created if missing)'
    return _blocked(path, option, 'folder')


def file_problem(path, option, creates=()):
    """Why the file ``path`` (given as ``option``) cannot be written, or None. Creates nothing.

    Its folder must exist, or be one of ``creates`` (folders the same command makes before it writes the file,
    such as its ``--out``)."""
    path = os.fspath(path)
    if not path:
        return f'{option} is empty; give the path of a file'
    if os.path.isdir(path):
        return f'{option} {path} is a folder; give the path of a file, e.g. {os.path.join(path, "model.ckpt")}'
    folder = os.path.dirname(path) or '.'
    made = {os.path.abspath(os.fspath(f)) for f in creates}
    if not os.path.exists(folder) and os.path.abspath(folder) not in made:
        return _blocked(folder, option, 'file') or (
            f'{option} {path}: the folder {folder} does not exist; create it first (mkdir -p {folder}) or give '
            f'a path in an existing folder')
    if os.path.exists(folder) and not os.path.isdir(folder):
        return f'{option} {path}: {folder} is a file, not a folder; give a path in a folder'
    return _blocked(folder, option, 'file')


def _blocked(path, option, kind):
    """Why nothing can be written in the folder ``path``: it, or the first existing folder above it, is a file or
    cannot be written."""
    existing = os.path.abspath(path)
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        return f'{option} {path}: {existing} is a file, so no {kind} can be made in it; give another path'
    if not os.access(existing, os.W_OK | os.X_OK):
        return f'{option} {path}: the folder {existing} cannot be written; give a {kind} where you can write'
    return None
