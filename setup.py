"""The one build step pyproject.toml cannot say: put gluonbook_compat.pth at the top of site-packages.

Python runs that file as it starts; it lets MXNet 1.9.1 import on today's Python and numpy (see gluonbook_compat.py).
Everything else about the package is in pyproject.toml.
"""
import os

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.editable_wheel import editable_wheel

PTH = 'gluonbook_compat.pth'


class BuildWithPth(build_py):
    def run(self):
        super().run()
        self.copy_file(PTH, os.path.join(self.build_lib, PTH))

    def get_outputs(self, include_bytecode=True):
        return [*super().get_outputs(include_bytecode), os.path.join(self.build_lib, PTH)]


class EditableWithPth(editable_wheel):
    """``pip install -e .``: the editable wheel carries the file as well (setuptools writes its own .pth files
    into the same folder in this step)."""
    def _install_namespaces(self, installation_dir, pth_prefix):
        super()._install_namespaces(installation_dir, pth_prefix)
        self.copy_file(PTH, os.path.join(installation_dir, PTH))


setup(cmdclass={'build_py': BuildWithPth, 'editable_wheel': EditableWithPth})
