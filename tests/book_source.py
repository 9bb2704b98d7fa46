"""The book itself, read at test time from a copy of its repository: each section's code cells, its data and images.

The tests run the book's own sections, as a reader runs them, from a folder laid out like the book's repository.
The book is not copied into this repository: point the tests at a clone of it (a checkout or a bare repository;
the pinned commit is read from it with git, so the clone may be at any later commit), for each edition:

    git clone https://github.com/d2l-ai/d2l-en && export GLUONBOOK_BOOK_EN=$PWD/d2l-en    # commit cfaf60b0
    git clone https://github.com/d2l-ai/d2l-zh && export GLUONBOOK_BOOK_ZH=$PWD/d2l-zh    # tag v1.0.0

Without them, a clone laid next to this repository's folder as ``../shared/book/d2l-en`` and
``../shared/book/d2l-zh`` is used; failing that the book's tests are skipped, and say so.
"""
import dataclasses
import functools
import io
import os
import re
import subprocess
import tokenize
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / 'shared' / 'book'

CELL = re.compile(r'^```\{\.python \.input[^}]*\}\n(.*?)^```', re.M | re.S)


@dataclasses.dataclass(frozen=True)
class Edition:
    name: str
    repository: str  # as GitHub names it
    commit: str  # the one the package is tested against (the gluonbook era)
    variable: str  # where the tests find a clone
    helpers: str  # the module the sections import

    @property
    def path(self):
        """The clone named by :attr:`variable` (else the one in ``../shared/book``), or None."""
        value = os.environ.get(self.variable)
        for path in ([Path(value)] if value else []) + [SHARED / self.repository.split('/')[1]]:
            if path.is_dir():
                return path
        return None

    def why_not(self):
        """Why this edition's sections cannot run here, or None."""
        if self.path is None:
            return (f'the book ({self.repository} at {self.commit}) is not here: clone it and set '
                    f'{self.variable} to its folder')
        try:
            self._git('rev-parse', '--verify', '--quiet', f'{self.commit}^{{commit}}')
        except subprocess.CalledProcessError:
            return f'{self.variable}={self.path} has no commit {self.commit} of {self.repository}'
        return None

    def _git(self, *args, text=True):
        return subprocess.run(['git', '-C', str(self.path), *args], check=True, capture_output=True,
                              text=text).stdout

    @functools.lru_cache(maxsize=None)  # noqa: B019 (two editions, for the whole session)
    def sections(self):
        """``chapter_xxx/section`` of every section with code, in the book's folder order."""
        names = self._git('ls-tree', '-r', '--name-only', self.commit).split('\n')
        return [name[:-3] for name in sorted(names)
                if re.fullmatch(r'chapter_[^/]+/[^/]+\.md', name) and self.cells(name[:-3])]

    @functools.lru_cache(maxsize=None)  # noqa: B019 (the same)
    def markdown(self, section):
        return self._git('show', f'{self.commit}:{section}.md')

    def cells(self, section):
        """The code cells of ``section``, in order, as the reader's notebook has them."""
        return [cell.rstrip('\n') for cell in CELL.findall(self.markdown(section))]

    def program(self, section):
        """The section as one program: a header naming its source, then its cells, each after a ``# %%`` line."""
        header = f'# {self.repository} at {self.commit}: {section}.md, its code cells in order, unmodified\n'
        return header + ''.join(f'\n# %%\n{cell}\n' for cell in self.cells(section))

    def lay_out(self, root):
        """Write the book's ``data/`` and ``img/`` folders into ``root``, as its repository has them; returns the
        files the clone lacks (a partial clone may leave out large files, e.g. the Kaggle dog demo archive)."""
        listing = [line.split('\t', 1) for line in self._git('ls-tree', '-r', self.commit, 'data', 'img').splitlines()]
        names = [name for _, name in listing]
        blobs = subprocess.run(['git', '-C', str(self.path), 'cat-file', '--batch'], check=True, capture_output=True,
                               input=''.join(f'{meta.split()[2]}\n' for meta, _ in listing).encode()).stdout
        missing, at = [], 0
        for name in names:  # each answer: "<id> blob <size>\n<bytes>\n", or "<id> missing\n"
            head = blobs[at:blobs.index(b'\n', at)]
            at += len(head) + 1
            if head.endswith(b' missing'):
                missing.append(name)
                continue
            size = int(head.split()[2])
            path = Path(root) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(blobs[at:at + size])
            at += size + 1
        return missing

EN = Edition('en', 'd2l-ai/d2l-en', 'cfaf60b0', 'GLUONBOOK_BOOK_EN', 'gluonbook')
ZH = Edition('zh', 'd2l-ai/d2l-zh', 'v1.0.0', 'GLUONBOOK_BOOK_ZH', 'd2lzh')
EDITIONS = {'en': EN, 'zh': ZH}


def tokens(program, helpers):
    """The program's code as tokens, comments and line breaks aside, with ``helpers`` (``d2l`` for the Chinese
    edition's ``import d2lzh as d2l``) read as the English edition's ``gb``."""
    program = program.replace('import d2lzh as d2l', 'import gluonbook as gb')
    kept = []
    for token in tokenize.generate_tokens(io.StringIO(program).readline):
        if token.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            continue
        kept.append('gb' if token.string == helpers else token.string)
    return kept


@functools.lru_cache(maxsize=None)
def same_as_english(section):
    """Whether the Chinese edition's section is the English one's, token for token (so it runs once, in English)."""
    if section not in EN.sections():
        return False
    try:
        return tokens(EN.program(section), 'gb') == tokens(ZH.program(section), 'd2l')
    except (tokenize.TokenError, IndentationError):  # a cell with a magic line: compare as text
        return False
