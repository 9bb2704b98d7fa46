"""gluonbook/bookdata.py: the shipped files verified by hash, the book's folder layout, and the one download path
for the larger data, tried against a local HTTP server (these machines cannot reach the real hosts)."""
import os
import zipfile

import pytest
from helpers import stand_in, tar_gz

import gluonbook as gb
from gluonbook import bookdata, datahub
from gluonbook.datahub import DataError


def test_every_shipped_file_is_there_and_matches_its_hash():
    for key in bookdata.SHIPPED:
        path = bookdata.path(key)
        assert os.path.getsize(path) > 0


def test_path_accepts_the_bare_name_and_names_what_is_shipped():
    assert bookdata.path('timemachine.txt').endswith(os.path.join('data', 'timemachine.txt'))
    with pytest.raises(KeyError, match='timemachine.txt'):
        bookdata.path('no-such-file.txt')


def test_a_damaged_shipped_file_is_refused(tmp_path, monkeypatch):
    (tmp_path / 'data').mkdir()
    (tmp_path / 'data' / 'fr-en-small.txt').write_text('not the book\'s file')
    monkeypatch.setattr(datahub, 'BOOK_DATA', str(tmp_path))
    monkeypatch.setenv('MXNET_HOME', str(tmp_path / 'mxnet'))
    with pytest.warns(UserWarning, match='fr-en-small.txt: contents do not match'), \
            pytest.raises(DataError, match='damaged.*reinstall'):
        bookdata.path('fr-en-small.txt')


def test_the_books_own_data_folder_beside_the_section_is_used(tmp_path, monkeypatch):
    """The Chinese edition's RNN sections run from chapter_xxx/ with the lyrics in ../data."""
    (tmp_path / 'data').mkdir()
    (tmp_path / 'chapter_recurrent-neural-networks').mkdir()
    copy = tmp_path / 'data' / 'jaychou_lyrics.txt.zip'
    lyrics = ''.join(chr(0x4e00 + (i * 7919) % 2000) + ('\n' if i % 13 == 0 else '') for i in range(12000))
    with zipfile.ZipFile(copy, 'w') as z:  # the corpus's layout, with generated characters
        z.writestr('jaychou_lyrics.txt', lyrics)
    stand_in(monkeypatch, 'jaychou_lyrics.txt.zip', copy.read_bytes(), [])
    monkeypatch.chdir(tmp_path / 'chapter_recurrent-neural-networks')
    monkeypatch.delenv('GLUONBOOK_DATA', raising=False)
    assert datahub.locate('jaychou_lyrics.txt.zip').where == "the book's ../data"
    assert os.path.samefile(datahub.path('jaychou_lyrics.txt.zip'), copy)
    corpus, char_to_idx, idx_to_char, vocab_size = gb.load_data_jay_lyrics()
    assert len(corpus) == 10000 and vocab_size == len(idx_to_char) > 1000
    assert ''.join(idx_to_char[i] for i in corpus[:5]) == lyrics.replace('\n', ' ')[:5]


def test_book_layout_puts_data_and_img_where_the_chapters_look(tmp_path):
    bookdata.book_layout(tmp_path)
    assert (tmp_path / 'data' / 'airfoil_self_noise.dat').read_bytes()[:10] == open(
        bookdata.path('airfoil_self_noise.dat'), 'rb').read(10)
    assert (tmp_path / 'img' / 'catdog.jpg').exists()


def test_mkdir_if_not_exist(tmp_path):
    gb.mkdir_if_not_exist([str(tmp_path), 'a', 'b'])
    gb.mkdir_if_not_exist([str(tmp_path), 'a', 'b'])
    assert (tmp_path / 'a' / 'b').is_dir()


# ----------------------------------------------------------------------------------------------- downloads

def test_a_download_is_verified_and_put_in_mxnets_cache(server, book_cache, monkeypatch):
    spec = stand_in(monkeypatch, 'hotdog.zip', b'hotdogs', [server.url])
    server.routes['/hotdog.zip'] = [('body', b'hotdogs')]
    path = datahub.path('hotdog.zip')
    assert path == str(book_cache / 'hotdog' / spec.filename) and open(path, 'rb').read() == b'hotdogs'
    assert os.listdir(book_cache / 'hotdog') == [spec.filename]  # no temporary file left
    assert datahub.path('hotdog.zip') == path and server.hits['/hotdog.zip'] == 1  # the copy is used


def test_a_wrong_download_is_never_put_in_place_and_the_error_names_the_remedy(server, book_cache, monkeypatch):
    spec = stand_in(monkeypatch, 'imdb', b'the real archive', [server.url])
    server.routes['/' + spec.name] = [('body', b'something else')]
    with pytest.raises(datahub.DataMissingError) as e:
        datahub.path(spec.name)
    message = str(e.value)
    assert '\n' not in message and spec.filename in message and spec.known_hash in message
    assert 'GLUONBOOK_DATA' in message and f'gluonbook data --fetch {spec.name}' in message
    assert str(book_cache / 'imdb' / spec.filename) in message  # where to put a copy
    assert not (book_cache / 'imdb' / spec.filename).exists() and os.listdir(book_cache / 'imdb') == []


def test_a_local_copy_comes_first_and_a_bad_one_is_skipped(server, book_cache, tmp_path, monkeypatch):
    spec = stand_in(monkeypatch, 'imdb', b'good', [server.url])
    local = tmp_path / 'local'
    (local / 'imdb').mkdir(parents=True)
    (local / 'imdb' / spec.filename).write_bytes(b'good')
    monkeypatch.setenv('GLUONBOOK_DATA', str(local))
    assert datahub.path(spec.name) == str(local / 'imdb' / spec.filename) and server.hits == {}
    (local / 'imdb' / spec.filename).write_bytes(b'bad')
    server.routes['/' + spec.name] = [('body', b'good')]
    with pytest.warns(UserWarning, match=f'{local / "imdb" / spec.filename}: contents do not match'):
        assert datahub.path(spec.name) == str(book_cache / 'imdb' / spec.filename)


def test_unreachable_hosts_give_one_line_naming_all_three_pikachu_files(book_cache, monkeypatch):
    for name in ('pikachu/train.rec', 'pikachu/train.idx', 'pikachu/val.rec'):
        stand_in(monkeypatch, name, b'x', ['http://127.0.0.1:9/'])
    with pytest.raises(datahub.DataMissingError) as e:
        gb.load_data_pikachu(32)
    message = str(e.value)
    assert '\n' not in message
    assert 'gluonbook data --fetch pikachu/train.rec pikachu/train.idx pikachu/val.rec' in message


def test_extract_refuses_members_outside_the_folder(tmp_path):
    archive = tmp_path / 'evil.tar.gz'
    archive.write_bytes(tar_gz({'../outside.txt': b'x'}))
    with pytest.raises(Exception):  # noqa: B017 - tarfile's filter error, or ours before Python 3.11.4
        bookdata.extract(str(archive), str(tmp_path / 'into'))
    assert not (tmp_path / 'outside.txt').exists()
