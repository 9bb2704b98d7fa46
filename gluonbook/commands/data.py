"""Every data set and model the book uses: verified, bad copy or missing, and where; --fetch, --from, --to.

  gluonbook data                        a table: name, size, status (verified / bad copy / missing), sections, where
  gluonbook data --fetch NAME|all       download what is missing (a name, a group such as pikachu or model, or all)
  gluonbook data --from DIR             import the verified copies found in DIR (a USB stick, a classroom share)
  gluonbook data --to DIR               write every verified copy here into DIR, as --from reads it

An offline classroom machine is prepared with two commands: "gluonbook data --fetch all --to DIR" on a machine
online, then "gluonbook data --from DIR" on the offline one. Where the mirrors cannot be reached on Debian/Ubuntu
as root, --fetch installs Debian's dataset-fashion-mnist for Fashion-MNIST, and says so.
"""
import os
import shutil
import subprocess
import sys
import warnings

from .. import data, datahub
from ..datahub import DataError
from ..files import folder_problem


def add_arguments(parser):
    parser.add_argument('--fetch', nargs='+', metavar='NAME', help='download these files if missing (a name from '
                        'the table, a group such as fashion-mnist, pikachu or model, or all)')
    parser.add_argument('--from', dest='source', metavar='DIR', help='import the verified copies found in DIR')
    parser.add_argument('--to', metavar='DIR', help='write every verified copy into DIR, as --from reads it')
    parser.add_argument('--root', metavar='DIR', help='look in this folder first')


class UserError(Exception):
    """A bad argument: one line, exit 2."""


def main(args):
    with warnings.catch_warnings():
        warnings.simplefilter('always', datahub.DataWarning)
        warnings.showwarning = _one_line
        try:
            return _run(args)
        except UserError as e:
            print(f'error: {e}', file=sys.stderr)
            return 2


def _one_line(message, category, filename, lineno, file=None, line=None):
    print(f'warning: {message}', file=sys.stderr)


def _run(args):
    if args.root is not None and not os.path.isdir(args.root):
        raise UserError(f'--root {args.root} is not a folder; give the folder that holds the data files')
    try:
        datahub.sources(datahub.REGISTRY['fashion-mnist/train-images'])
    except DataError as e:  # GLUONBOOK_DATA naming no folder
        raise UserError(str(e)) from None
    names = expand(args.fetch) if args.fetch else []
    for option in ('source', 'to'):
        folder = getattr(args, option)
        flag = '--from' if option == 'source' else '--to'
        if folder is not None and option == 'source' and not os.path.isdir(folder):
            raise UserError(f'--from {folder} is not a folder; give the folder that holds the copies')
        if folder is not None and option == 'to' and (problem := folder_problem(folder, flag)):
            raise UserError(problem)
    if not (names or args.source or args.to):
        return table(args.root)
    code = 0
    if names:
        code = max(code, fetch(names, args.root))
    if args.source:
        code = max(code, import_from(args.source))
    if args.to:
        code = max(code, export_to(args.to, args.root))
    return code


def expand(names):
    """Registry names for what --fetch was given: names, groups (the part before '/'), or all."""
    if names == ['all'] or 'all' in names:
        return list(datahub.REGISTRY)
    chosen = []
    for name in names:
        group = [n for n in datahub.REGISTRY if n == name or n.startswith(name.rstrip('/') + '/')]
        if not group:
            groups = sorted({n.split('/')[0] for n in datahub.REGISTRY if '/' in n})
            raise UserError(f'--fetch {name}: no such file or group in the registry; `gluonbook data` lists the '
                            f'names, groups are {", ".join(groups)}, or give all')
        chosen += [n for n in group if n not in chosen]
    return chosen


def status(datafile, root=None):
    """``(status, where)`` of one file: verified (where it was found), bad copy, or missing. Never downloads."""
    found = datahub.find(datafile, root, warn=False)
    if found is not None:
        return 'verified', f'{found.where}: {found.path}'
    if any(os.path.isfile(path) and not datahub.foreign(path, datafile)
           for _, path in datahub.sources(datafile, root)):
        return 'bad copy', next(path for _, path in datahub.sources(datafile, root) if os.path.isfile(path))
    return 'missing', ''


def table(root=None):
    """Print one line per file of the registry; exit 1 if Fashion-MNIST, which training needs, is not here."""
    rows = []
    for f in datahub.REGISTRY.values():
        state, where = status(f, root)
        rows.append((f.name, datahub.human_size(f.size), state, sections(f), where))
    widths = [max(len(r[i]) for r in rows + [HEADER]) for i in range(4)]
    for row in [HEADER] + rows:
        print(('  '.join(v.ljust(w) for v, w in zip(row[:4], widths)) + '  ' + row[4]).rstrip())
    if any(r[2] != 'verified' for r in rows if r[0].startswith('fashion-mnist/')):
        print(f'Fashion-MNIST is not available. To fix: {data.FIX}.', file=sys.stderr)
        return 1
    return 0


def sections(datafile, shown=3):
    names = datafile.sections
    return ', '.join(names[:shown]) + (f' (+{len(names) - shown})' if len(names) > shown else '')


HEADER = ('name', 'size', 'status', 'used by', 'where')


def fetch(names, root=None):
    """Get every named file that has no verified copy; one line per file that could not be had."""
    failed = []
    for name in names:
        try:
            found = datahub.locate(name, root)
            print(f'{name}: verified, {found.where}: {found.path}')
        except datahub.DataMissingError as e:
            failed.append((name, e))
    debian = {datahub.REGISTRY[n].package for n, _ in failed} - {None}
    installed = {package for package in debian if apt_install(package)}
    code = 0
    for name, error in failed:
        datafile = datahub.REGISTRY[name]
        if datafile.package in installed:
            found = datahub.find(datafile, root)
            if found is not None:
                print(f'{name}: verified, {found.where}: {found.path}')
                continue
            error = datahub.missing(datafile, advise_package=False)
        print(f'error: {error}', file=sys.stderr)
        code = 1
    return code


def apt_install(package):
    """Install a Debian package if we may (apt-get, root); True if apt-get says it succeeded."""
    if not shutil.which('apt-get') or os.geteuid() != 0:
        return False
    print(f'installing the Debian package {package} (apt-get install {package})', flush=True)
    install = ['apt-get', 'install', '-y', '-q', package]
    if subprocess.run(install).returncode == 0:
        return True
    if subprocess.run(['apt-get', 'update', '-q']).returncode == 0 and subprocess.run(install).returncode == 0:
        return True
    print(f'warning: apt-get install {package} failed; see its messages above', file=sys.stderr)
    return False


def candidates(folder):
    """``(path, [DataFile, ...])`` for each file under ``folder`` whose name the registry knows: laid out as
    --to writes it, or named as MXNet or the book name it."""
    by_name = {}
    for datafile in datahub.REGISTRY.values():
        for key in {datafile.folder_path, datafile.filename, datafile.book_path, datafile.cache_path} - {None}:
            by_name.setdefault(os.path.normpath(key), []).append(datafile)
    for top, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(top, name)
            relative = os.path.relpath(path, folder)
            known = by_name.get(relative) or by_name.get(name) or []
            if known:
                yield path, list(dict.fromkeys(known))


def import_from(folder):
    """Copy every verified file found in ``folder`` into MXNet's cache, where MXNet and the book look."""
    imported, wrong = 0, 0
    for path, known in candidates(folder):
        problems = []
        for datafile in known:
            try:
                datahub.check(path, datafile)
            except DataError as e:
                problems.append(e)
                continue
            target = os.path.join(datahub.mxnet_home(), datafile.cache_path)
            if os.path.isfile(target) and datahub.verifies(target, datafile):
                print(f'{datafile.name}: already in {target}')
            else:
                try:
                    datahub.place(path, target)
                except OSError as e:
                    print(f'error: cannot write {target} ({e.strerror or e}); free some space, or set MXNET_HOME to '
                          f'a folder on another disk', file=sys.stderr)
                    return 1
                print(f'{datafile.name}: imported into {target}')
            imported += 1
            break
        else:
            wrong += 1
            why = problems[0] if len(problems) == 1 else (
                f'{path}: is none of {", ".join(f.name for f in known)} (no hash matches)')
            print(f'warning: skipped {why}', file=sys.stderr)
    print(f'{imported} file(s) verified and in place' + (f', {wrong} wrong file(s) skipped' if wrong else ''))
    return 2 if wrong else 0


def export_to(folder, root=None):
    """Write every verified copy found here (but the package's own) into ``folder``, as --from reads it."""
    written = 0
    for datafile in datahub.REGISTRY.values():
        found = datahub.find(datafile, root, warn=False)
        if found is None or found.where == 'gluonbook package':
            continue
        target = os.path.join(folder, datafile.folder_path)
        if not (os.path.isfile(target) and datahub.verifies(target, datafile)):
            try:
                datahub.place(found.path, target)
            except OSError as e:
                print(f'error: cannot write {target} ({e.strerror or e}); free some space or give another --to',
                      file=sys.stderr)
                return 1
        written += 1
        print(f'{datafile.name}: {target}')
    print(f'{written} file(s) in {folder}; on the other machine: gluonbook data --from {folder}')
    return 0
