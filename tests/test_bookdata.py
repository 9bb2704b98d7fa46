"""gluonbook/bookdata.py: the shipped files verified by hash, the book's folder layout, and the one download path
for the larger data, tried against a local HTTP server (these machines cannot reach the real hosts)."""
import os

import pytest
from helpers import stand_in, tar_gz

import gluonbook as gb
from gluonbook import bookdata
from gluonbook.data import DataError


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
    monkeypatch.setattr(bookdata, 'BOOK_DATA', str(tmp_path))
    monkeypatch.setattr(bookdata, '_checked', set())
    with pytest.raises(DataError, match='damaged.*reinstall'):
        bookdata.path('fr-en-small.txt')


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
    spec = stand_in(monkeypatch, 'jaychou_lyrics', b'lyrics', [server.url])
    server.routes['/' + spec.name] = [('body', b'lyrics')]
    path = bookdata.fetch('jaychou_lyrics')
    assert path == str(book_cache / 'jaychou-lyrics' / spec.name) and open(path, 'rb').read() == b'lyrics'
    assert os.listdir(book_cache / 'jaychou-lyrics') == [spec.name]  # no temporary folder left
    assert bookdata.fetch('jaychou_lyrics') == path and server.hits['/' + spec.name] == 1  # the copy is used


def test_a_wrong_download_is_never_put_in_place_and_the_error_names_the_remedy(server, book_cache, monkeypatch):
    spec = stand_in(monkeypatch, 'imdb', b'the real archive', [server.url])
    server.routes['/' + spec.name] = [('body', b'something else')]
    with pytest.raises(DataError) as e:
        bookdata.fetch('imdb')
    message = str(e.value)
    assert spec.name in message and 'GLUONBOOK_DATA' in message and spec.known_hash in message
    assert not (book_cache / 'imdb' / spec.name).exists()
    assert [p for p in os.listdir(book_cache / 'imdb')] == []


def test_a_local_copy_comes_first_and_a_bad_one_is_skipped(server, book_cache, tmp_path, monkeypatch):
    spec = stand_in(monkeypatch, 'imdb', b'good', [server.url])
    local = tmp_path / 'local'
    local.mkdir()
    (local / spec.name).write_bytes(b'good')
    monkeypatch.setenv('GLUONBOOK_DATA', str(local))
    assert bookdata.fetch('imdb') == str(local / spec.name) and server.hits == {}
    (local / spec.name).write_bytes(b'bad')
    server.routes['/' + spec.name] = [('body', b'good')]
    assert bookdata.fetch('imdb') == str(book_cache / 'imdb' / spec.name)


def test_unreachable_hosts_give_the_remedy_not_a_hang(book_cache, monkeypatch):
    stand_in(monkeypatch, 'pikachu_train_rec', b'x', ['http://127.0.0.1:9/'])
    with pytest.raises(DataError, match='(?s)train.rec.*To fix: download'):
        gb.load_data_pikachu(32)


def test_extract_refuses_members_outside_the_folder(tmp_path):
    archive = tmp_path / 'evil.tar.gz'
    archive.write_bytes(tar_gz({'../outside.txt': b'x'}))
    with pytest.raises(Exception):  # noqa: B017 - tarfile's filter error, or ours before Python 3.11.4
        bookdata.extract(str(archive), str(tmp_path / 'into'))
    assert not (tmp_path / 'outside.txt').exists()
