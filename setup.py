"""The one build step pyproject.toml cannot say: put gluonbook_compat.pth at the top of site-packages.

Python runs that file as it starts; it lets MXNet 1.9.1 import on today's Python and numpy, and the book's own code
run (see gluonbook_compat.py). Everything else about the package is in pyproject.toml.

A wheel: ``build_py`` copies the file into the build folder, which is the wheel's top (site-packages). An editable
install (``pip install -e .``): setuptools' editable wheel holds only the links to the code (its ``data_files``
step is not run there), so once ``editable_wheel`` has built it, the file is added to that wheel with its line in
the wheel's RECORD (the wheel format, PEP 427). ``tests/test_packaging.py`` installs both ways and checks the file.
"""
import base64
import glob
import hashlib
import os
import zipfile

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.editable_wheel import editable_wheel

PTH = 'gluonbook_compat.pth'


class BuildWithPth(build_py):
    def run(self):
        super().run()
        if not self.editable_mode:
            self.copy_file(PTH, os.path.join(self.build_lib, PTH))

    def get_outputs(self, include_bytecode=True):
        return [*super().get_outputs(include_bytecode), os.path.join(self.build_lib, PTH)]

    def get_source_files(self):
        return [*super().get_source_files(), PTH]  # so that the sdist carries it


class EditableWithPth(editable_wheel):
    def run(self):
        super().run()
        for wheel in glob.glob(os.path.join(self.dist_dir, '*.whl')):
            add_to_wheel(wheel, PTH)


def add_to_wheel(wheel, filename):
    """Add ``filename`` at the top of ``wheel``, with its hash and size in RECORD (rewritten, then moved in place)."""
    with open(filename, 'rb') as f:
        content = f.read()
    digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b'=').decode()
    with zipfile.ZipFile(wheel) as old:
        if filename in old.namelist():
            return
        entries = [(info, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(wheel + '.part', 'w', zipfile.ZIP_DEFLATED) as new:
        for info, data in entries:
            if info.filename.endswith('.dist-info/RECORD'):
                new.writestr(filename, content)
                data = data.rstrip(b'\r\n') + f'\n{filename},sha256={digest},{len(content)}\n'.encode()
            new.writestr(info, data)
    os.replace(wheel + '.part', wheel)


setup(cmdclass={'build_py': BuildWithPth, 'editable_wheel': EditableWithPth})
