"""python -m gluonbook data: which source was found, and whether it verified."""
import subprocess
import sys

import pytest

from gluonbook import cli


@pytest.mark.realdata
def test_data_reports_each_file_verified_and_its_source(real_data):
    run = subprocess.run([sys.executable, '-m', 'gluonbook', 'data'], capture_output=True, text=True)
    lines = run.stdout.splitlines()
    assert run.returncode == 0, run.stderr
    assert [line.split(':')[0] for line in lines] == [
        'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz',
        't10k-labels-idx1-ubyte.gz']
    assert all(': verified, from ' in line for line in lines)


def test_data_with_no_copy_names_the_remedies(tmp_path):
    env = {'MXNET_HOME': str(tmp_path), 'PATH': '/usr/bin:/bin', 'GLUONBOOK_DATA': str(tmp_path / 'none')}
    code = ('import gluonbook.data as d, sys; '
            'object.__setattr__(d.FASHION_MNIST, "debian_dir", "/nonexistent"); '
            'from gluonbook import cli; sys.exit(cli.main(["data"]))')
    run = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env=env)
    assert run.returncode == 1
    assert run.stdout.splitlines() == [f'{name}: no verified copy found' for name in (
        'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz',
        't10k-labels-idx1-ubyte.gz')]
    assert 'apt-get install dataset-fashion-mnist' in run.stderr and 'GLUONBOOK_DATA' in run.stderr


def test_a_root_that_is_not_a_folder_is_refused(tmp_path, capsys):
    (tmp_path / 'taken').write_text('a file')
    for root in (tmp_path / 'taken', tmp_path / 'none'):
        assert cli.main(['data', '--root', root]) == 2
        assert capsys.readouterr() == ('', f'error: --root {root} is not a folder; give the folder that holds the '
                                           f'four .gz files\n')
