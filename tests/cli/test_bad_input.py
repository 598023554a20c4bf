"""The bad-input battery: whatever a user, a file or a shell hands the CLI, no traceback.

Each case runs the real console entry point in its own process (so a traceback, an
encoding error on output or a hang would show) and checks the answer is a clear
message and an exit status of 1 or 2, and that nothing was written where nothing
should be. Cases that must *succeed* despite odd input (a corpus full of bad files,
a path that is not UTF-8) are checked too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
XICHANG = "2018-06-07_li-jun_xichang"


def speechreader(*args: str | bytes | Path, env: dict | None = None, cwd: Path | None = None):
    """Run ``python -m speechreader ARGS`` (bytes arguments pass through undecoded)."""
    argv = [os.fsencode(a) if isinstance(a, (str, Path)) else a for a in args]
    return subprocess.run(
        [os.fsencode(sys.executable), b"-m", b"speechreader", *argv],
        capture_output=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=120,
    )


def assert_clean_failure(result, *, says: str = "") -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in result.stderr + result.stdout, err
    assert b"internal error" not in result.stderr, err  # a bug, reported as a crash
    assert result.returncode == 2, (result.returncode, err)  # a user's error: 2 (a bug: 1)
    last = err.strip().splitlines()[-1] if err.strip() else ""
    assert last, "no message on stderr"
    assert says in err, err
    return err


@pytest.fixture
def env(isolated_dirs, tmp_path, sample_corpus):
    """The subprocess's environment: isolated folders, the sample copy, a fresh database."""
    return {
        "SPEECHREADER_CACHE_DIR": str(isolated_dirs / "cache"),
        "SPEECHREADER_DATA_DIR": str(isolated_dirs / "data"),
        "SPEECHREADER_CONFIG_DIR": str(isolated_dirs / "config"),
        "SPEECHREADER_CORPUS": str(sample_corpus),
        "SPEECHREADER_DB": str(tmp_path / "db"),
        "SPEECHREADER_CODER": "tester",
    }


# --- arguments ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["nonsense"], "No such command"),
        (["tag", XICHANG], "Missing argument"),
        (["tag", XICHANG, "ten", "20", "--tag", "x"], "not a valid integer"),
        (["tag", XICHANG, "20", "10", "--tag", "x"], "invalid range"),
        (["tag", XICHANG, "0", "10**9", "--tag", "x"], "not a valid integer"),
        (["tag", "no-such-doc", "0", "5", "--tag", "x"], "no document"),
        (["tag", XICHANG, "0", "5"], "nothing to record"),
        (["tag", XICHANG, "0", "5", "--highlight", "plaid"], "unknown highlight"),
        (["tag", XICHANG, "0", "5", "--tag", "a\nb"], "line breaks"),
        (["show", XICHANG, "--variant", "klingon"], "unknown variant"),
        (["show", XICHANG, "--script", "cyrillic"], "Invalid value"),
        (["export", "-o", "x.csv", "--variant", "klingon"], "unknown variant"),
        (["delete", "ffffffff"], "no annotation"),
        (["search", "(", "--regex"], "invalid"),
        (["search", "发展", "--date-from", "yesterday"], "invalid date"),
        (["search", "发展", "--tag", "no-such-tag"], "no tag"),
        (["autocode", "发展"], "Missing option"),
        (["codebook", "add", "  "], "needs a name"),
        (["codebook", "merge", "nope", "nada"], "no tag"),
        (["codebook", "recolour", "nope", "#zzzzzz"], ""),
        (["import-annotations", "missing.csv"], "missing.csv"),
        (["convert", "missing.txt", "--to", "traditional"], "no such file"),
        (["doctor", "--db", "/proc/version"], ""),
    ],
)
def test_bad_arguments_get_one_clear_message(env, tmp_path, args, says):
    assert_clean_failure(speechreader(*args, env=env, cwd=tmp_path), says=says)
    assert not list((tmp_path / "db").glob("annotations/*/*.json"))


def test_an_export_into_a_folder_is_refused(env, tmp_path):
    speechreader("tag", XICHANG, "0", "5", "--tag", "t", env=env)
    (tmp_path / "out").mkdir()
    assert_clean_failure(speechreader("export", "-o", tmp_path / "out", env=env), says="folder")


@pytest.mark.parametrize(
    "args",
    [
        [b"tag", XICHANG.encode(), b"0", b"5", b"--tag", b"econ", b"--note", b"\xff\xfe memo"],
        [b"tag", XICHANG.encode(), b"0", b"5", b"--tag", b"\xb8\xa3\xc0\xfb"],  # GBK 福利
        [b"tag", XICHANG.encode(), b"0", b"5", b"--tag", b"econ", b"--coder", b"\xe9mile"],
        [b"search", b"\xb7\xa2\xd5\xb9"],  # GBK 发展
        [b"codebook", b"add", b"\xff"],
        [b"codebook", b"describe", b"econ", b"\xff"],
        [b"autocode", b"\xb7\xa2\xd5\xb9", b"--tag", b"econ"],
        [b"autocode", "发展".encode(), b"--tag", b"\xff"],
        [b"annotations", b"--tag", b"\xff"],
    ],
)
def test_arguments_that_are_not_utf8_are_refused_before_anything_is_written(env, tmp_path, args):
    err = assert_clean_failure(speechreader(*args, env=env), says="not valid UTF-8")
    assert err.count("\n") == 1
    assert not (tmp_path / "db").exists()


def test_a_coder_name_in_the_environment_that_is_not_utf8_is_refused(env, tmp_path):
    env = {**env, "SPEECHREADER_CODER": os.fsdecode(b"\xe9mile")}
    result = speechreader("tag", XICHANG, "0", "5", "--tag", "econ", env=env)
    assert_clean_failure(result, says="SPEECHREADER_CODER")
    assert not (tmp_path / "db").exists()


def test_paths_in_another_encoding_are_legitimate(env, tmp_path, sample_corpus):
    corpus = Path(os.fsdecode(os.fsencode(str(tmp_path)) + b"/\xcd\xf2\xc4\xfe"))  # GBK folder
    shutil.copytree(sample_corpus, corpus)
    db = Path(os.fsdecode(os.fsencode(str(tmp_path)) + b"/db\xff"))
    result = speechreader("tag", XICHANG, "0", "5", "--tag", "econ", "--corpus", corpus,
                          "--db", db, env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    listing = speechreader("annotations", "--corpus", corpus, "--db", db, env=env)
    assert listing.returncode == 0 and b"econ" in listing.stdout


# --- configuration -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "says"),
    [
        ('coder = "amy\n', "config.toml"),
        ("coder = 3\n", "'coder' must be a string"),
        ('follow_links = "yes"\n', "true or false"),
        (b"\xff\xfe\x00garbage", "config.toml"),
    ],
)
@pytest.mark.parametrize("command", [["list"], ["tag", XICHANG, "0", "5", "--tag", "x"]])
def test_a_broken_config_file_stops_every_command(env, isolated_dirs, config, says, command):
    path = isolated_dirs / "config" / "config.toml"
    path.write_bytes(config if isinstance(config, bytes) else config.encode())
    assert_clean_failure(speechreader(*command, env=env), says=says)


def test_a_broken_config_file_still_lets_version_and_help_answer(env, isolated_dirs):
    (isolated_dirs / "config" / "config.toml").write_text('coder = "amy\n')
    assert speechreader("--version", env=env).returncode == 0
    assert speechreader("tag", "--help", env=env).returncode == 0


# --- corpora -----------------------------------------------------------------------


def test_a_missing_folder_or_a_file_as_corpus_is_a_clear_error(env, tmp_path):
    assert_clean_failure(speechreader("list", "--corpus", tmp_path / "nope", env=env),
                         says="not found")  # fmt: skip
    (tmp_path / "file.txt").write_text("x")
    assert_clean_failure(speechreader("list", "--corpus", tmp_path / "file.txt", env=env),
                         says="not a folder")  # fmt: skip


def test_a_corpus_of_bad_files_loads_what_it_can_and_names_the_rest(env, tmp_path):
    corpus = tmp_path / "bad"
    corpus.mkdir()
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "gbk.txt").write_bytes("各位代表：\n发展是第一要务。\n".encode("gb18030"))
    (corpus / "big5.txt").write_bytes("各位代表：\n發展是第一要務。\n".encode("big5"))
    (corpus / "utf16.txt").write_bytes("\ufeff同志们：\n".encode("utf-16-le"))
    os.symlink("/etc/passwd", corpus / "passwd.txt")
    os.symlink("/", corpus / "root")
    (corpus / os.fsdecode(b"\xff\xfe.txt")).write_text("名字不是UTF-8。\n", encoding="utf-8")
    (corpus / "metadata.csv").write_bytes(b'file,title\ngbk.txt,"open quote\nbig5.txt,x\n')
    result = speechreader("list", "--corpus", corpus, env=env)
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert "3 documents" in out
    for name, reason in [("binary.txt", "binary"), ("empty.txt", "empty"),
                         ("passwd.txt", "outside the corpus folder"),
                         ("root", "outside the corpus folder"),
                         ("\\xff\\xfe.txt", "not UTF-8")]:  # fmt: skip
        assert any(name in line and reason in line for line in out.splitlines()), (name, out)
    assert "a quote left open?" in out
    listing = speechreader("list", "--json", "--corpus", corpus, env=env)
    assert listing.returncode == 0


# --- databases ---------------------------------------------------------------------


def test_a_database_path_that_is_a_file_is_a_clear_error(env, tmp_path):
    (tmp_path / "db.txt").write_text("not a database")
    result = speechreader("tag", XICHANG, "0", "5", "--tag", "x", "--db", tmp_path / "db.txt",
                          env=env)  # fmt: skip
    assert_clean_failure(result)
    assert (tmp_path / "db.txt").read_text() == "not a database"


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda db: (db / "codebook.json").write_text('{"codebook": {"x": '), "codebook.json"),
        (lambda db: (db / "codebook.json").write_bytes(b"\x00\xff" * 50), "codebook.json"),
        (
            lambda db: (db / "speechreader-db.json").write_text(
                '{"format": "speechreader-annotations", "schema_version": 999}'
            ),
            "newer",
        ),
    ],
)
def test_a_damaged_database_is_named_and_left_untouched(env, tmp_path, damage, says):
    db = tmp_path / "db"
    assert speechreader("tag", XICHANG, "0", "5", "--tag", "x", env=env).returncode == 0
    damage(db)
    before = {p: p.read_bytes() for p in db.rglob("*") if p.is_file() and "local" not in p.parts}
    assert_clean_failure(speechreader("tag", XICHANG, "5", "9", "--tag", "y", env=env), says=says)
    after = {p: p.read_bytes() for p in db.rglob("*") if p.is_file() and "local" not in p.parts}
    assert after == before


# --- CSV files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (bytes(range(256)) * 4, "binary file (contains NUL bytes)"),
        (b"", "in.csv: empty file"),
        (b"a,b,c\n1,2,3\n", "not a speechreader export"),
        # an open quote swallows the rest of the file into one cell: no document id
        (
            b'annotation_id,doc_id,start,end,tag,passage\n"x,' + XICHANG.encode() + b",0,5\n",
            "row 2: unknown document ''",
        ),
    ],
)
def test_a_bad_csv_to_import_changes_nothing(env, tmp_path, content, says):
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    result = speechreader("import-annotations", path, env=env)
    assert_clean_failure(result, says=says)


# --- terminal output ---------------------------------------------------------------


def _on_a_terminal(args: list, env: dict) -> bytes:
    """Run the CLI with its stdout on a pseudo-terminal; return what it wrote."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "speechreader", *map(str, args)],
        stdout=follower, stderr=subprocess.PIPE, env={**os.environ, **env},
    )  # fmt: skip
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=60)
    os.close(leader)
    return out


def test_control_characters_reach_a_terminal_escaped_and_json_exactly(env, sample_corpus):
    title = "报告\x1b]0;pwned\x07\x1b[2J标题"
    (sample_corpus / "metadata.csv").write_text(
        f'file,title\n{XICHANG}.txt,"{title}"\n', encoding="utf-8"
    )
    speechreader("tag", XICHANG, "0", "5", "--tag", "t\x1b[31m", env=env)
    speechreader("codebook", "describe", "t\x1b[31m", "desc\x1b[1m", env=env)
    for args in (["list"], ["annotations"], ["codebook", "list"]):
        out = _on_a_terminal(args, env)
        assert b"\x1b]0;" not in out and b"\x1b[2J" not in out and b"\x1b[31m" not in out, args
        assert b"\\x1b" in out, (args, out)
    listing = json.loads(speechreader("list", "--json", env=env).stdout)
    assert {d["id"]: d["title"] for d in listing["documents"]}[XICHANG] == title
