"""Report where Fashion-MNIST was found and whether it verified; with --fetch, get it if it is missing.

Fetching tries the download mirrors; where they cannot be reached on a Debian/Ubuntu machine and we are root,
it installs Debian's dataset-fashion-mnist package instead, and says so.
"""
import os
import shutil
import subprocess
import sys

from .. import data


def add_arguments(parser):
    parser.add_argument('--fetch', action='store_true', help='download or install the data if it is missing')
    parser.add_argument('--root', metavar='DIR', help='look in this folder first')


def main(args):
    if args.root is not None and not os.path.isdir(args.root):
        print(f'error: --root {args.root} is not a folder; give the folder that holds the four .gz files',
              file=sys.stderr)
        return 2
    statuses = data.describe(args.root)
    if args.fetch and not all(status.verified for status in statuses):
        fetch(args.root)
        statuses = data.describe(args.root)
    for status in statuses:
        print(status)
    if not all(status.verified for status in statuses):
        print(f'Fashion-MNIST is not available. To fix: {data.FIX}.', file=sys.stderr)
        return 1
    return 0


def fetch(root=None):
    """Get every missing file: from the mirrors, else from Debian's package where we may install it."""
    try:
        for key in data.FASHION_MNIST.files:
            data.locate(key, root)
        return
    except data.DataError as e:
        print(f'download failed: {e}', file=sys.stderr)
    if shutil.which('apt-get') and os.geteuid() == 0:
        print('installing the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)',
              flush=True)
        install = ['apt-get', 'install', '-y', '-q', 'dataset-fashion-mnist']
        if subprocess.run(install).returncode != 0:
            subprocess.run(['apt-get', 'update', '-q'])
            subprocess.run(install)
