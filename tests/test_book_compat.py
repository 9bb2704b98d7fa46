"""The compatibility promise: the book's chapter-3 sections (deep-learning basics) of both editions, unmodified,
run on this stack with the book's results. The machinery and the checks are test_book.py's; these sections are the
ones the compatibility suite (``make test-compat``) runs on every supported Python."""
import pytest
from test_book import BASICS, CHECKS, FASHION, run, section, select


@pytest.mark.slow  # a section of the book, in its own Python
@pytest.mark.parametrize('program', select(lambda name: name.startswith(BASICS)))
def test_the_basics_run_with_the_books_results(program, tmp_path, request):
    name = section(program)
    if name in FASHION:
        request.getfixturevalue('real_data')
    done = run(program, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    if name in CHECKS:
        CHECKS[name](done.stdout, program.split('/')[0], tmp_path / 'book' / name.split('/')[0])
