"""store.sleutels: one key per machine, whichever worker asks first."""

from concurrent.futures import ThreadPoolExecutor

from store.sleutels import machine_key


def test_every_caller_gets_the_one_key_the_first_made(tmp_path):
    path = tmp_path / "data" / "sleutel"
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: machine_key(path), range(32)))
    assert keys == {path.read_text().strip()}
    assert len(keys.pop()) == 64
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["sleutel"]
