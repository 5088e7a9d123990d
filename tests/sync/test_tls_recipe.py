"""The openssl recipe of docs/sync.md ("An own CA and the server's certificate") run as
written, with the office's name and address set to this machine's: a server on its
certificate, a laptop enrolled with its CA (a copy kept in the data folder, so deleting the
original changes nothing) syncs over it; a certificate the CA does not vouch for, one not
made out for the address's name and a CA copy gone are each said for what they are, in
both languages, never as a network fault or an unexpected error."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from fieldkit.cli import main
from tests.sync.served import Served

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl command")


def recipe() -> str:
    """The shell block of the recipe, as the page shows it."""
    text = (ROOT / "docs" / "sync.md").read_text("utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    (block,) = [b for b in blocks if b.startswith("HOST=")]
    return block


def make_certificates(folder: Path, host: str, ip: str) -> Path:
    """Run the recipe in ``folder`` with its two first lines set to ``host`` and ``ip``."""
    lines = recipe().splitlines()
    assert lines[0].startswith("HOST=") and lines[1].startswith("IP=")
    script = "\n".join([f"HOST={host}", f"IP={ip}", *lines[2:]]) + "\n"
    folder.mkdir()
    done = subprocess.run(["bash", "-e", "-c", script], cwd=folder, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "cert.pem: OK" in done.stdout
    return folder


@pytest.fixture(scope="module")
def office_ca(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("tls") / "office", "localhost", "127.0.0.1")


@pytest.fixture
def served(tmp_path, office_ca):
    folder = tmp_path / "srv"
    folder.mkdir()
    server = Served(folder, "--tls-cert", str(office_ca / "cert.pem"), "--tls-key",
                    str(office_ca / "key.pem"), scheme="https")  # fmt: skip
    server.url = server.url.replace("127.0.0.1", "localhost")
    server.wait(verify=str(office_ca / "ca.pem"))
    yield server
    server.stop()


@pytest.fixture
def laptop(tmp_path, monkeypatch):
    data = tmp_path / "laptop"
    monkeypatch.setenv("FIELDKIT_DATA_DIR", str(data))
    monkeypatch.setenv("FIELDKIT_CONFIG", str(tmp_path / "none.toml"))
    return data


def test_the_recipe_makes_a_certificate_a_laptop_syncs_over(
    served, office_ca, laptop, tmp_path, capsys
):
    given = tmp_path / "from-the-office.pem"
    shutil.copy(office_ca / "ca.pem", given)
    assert main(["--lang", "en", "enroll", served.url, served.new_code(), "--ca", str(given)]) == 0
    copy = laptop / "office-ca.pem"
    assert copy.read_bytes() == given.read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    given.unlink()  # the file the office handed over is gone: nothing changes
    assert main(["--lang", "en", "sync"]) == 0
    assert main(["--lang", "en", "doctor"]) == 0
    out = capsys.readouterr().out
    assert "Synced: 0 changes sent" in out
    assert f"with the CA file kept in the data folder ({copy})" in out
    assert f"The office server at {served.url} accepts this device (asked just now)." in out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_certificate_failure_is_not_the_network(served, office_ca, laptop, tmp_path, capsys,
                                                  lang):  # fmt: skip
    other = make_certificates(tmp_path / "other", "localhost", "127.0.0.1")  # another CA
    code = served.new_code()
    assert main(["--lang", lang, "enroll", served.url, code, "--ca", str(other / "ca.pem")]) == 1
    err = capsys.readouterr().err
    said = {
        "en": [f"Did not enrol with the office server at {served.url}:",
               "the certificate of localhost is not vouched for by the CA file",
               "this is not a network problem", "The code was not used.",
               "This device is not enrolled yet."],
        "zh": [f"没有在办公室服务器 {served.url} 登记：", "不认可 localhost 的证书",
               "这不是网络问题", "登记码没有用掉。", "本设备尚未登记。"],
    }[lang]  # fmt: skip
    assert [s for s in said if s not in err] == [], err
    assert "SSL" not in err and "Errno" not in err and "_ssl.c" not in err
    assert "--move-to" not in err  # advice for enrolling: there is no enrolment to move
    assert not (laptop / "sync-credentials.json").exists()
    assert main(["--lang", lang, "enroll", served.url, code, "--ca",
                 str(office_ca / "ca.pem")]) == 0  # the code was not used  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_certificate_not_made_out_for_the_name_says_so(tmp_path, laptop, capsys, lang):
    certs = make_certificates(tmp_path / "named", "office.invalid", "10.9.9.9")
    folder = tmp_path / "srv"
    folder.mkdir()
    server = Served(folder, "--tls-cert", str(certs / "cert.pem"), "--tls-key",
                    str(certs / "key.pem"), scheme="https")  # fmt: skip
    try:
        server.wait(verify=False)
        code = server.new_code()
        assert main(["--lang", lang, "enroll", server.url, code, "--ca",
                     str(certs / "ca.pem")]) == 1  # fmt: skip
    finally:
        server.stop()
    err = capsys.readouterr().err
    expected = {"en": "the certificate of 127.0.0.1 is not made out for that name",
                "zh": "127.0.0.1 的证书不是为这个名称签发的"}  # fmt: skip
    assert expected[lang] in err and "subjectAltName" in err


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_ca_copy_gone_is_said_and_how_to_put_it_back(served, office_ca, laptop, capsys, lang):
    assert main(["enroll", served.url, served.new_code(), "--ca", str(office_ca / "ca.pem")]) == 0
    (laptop / "office-ca.pem").unlink()
    capsys.readouterr()
    assert main(["--lang", lang, "sync"]) == 1  # not 70: an expected state, said
    err = capsys.readouterr().err
    assert {"en": "is missing", "zh": "不存在"}[lang] in err
    assert f"fieldkit enroll --move-to {served.url} --ca" in err
    assert "unexpected" not in err and "意外" not in err
    assert main(["--lang", lang, "doctor"]) == 1
    out = capsys.readouterr().out
    assert {"en": "The CA file for the office server:", "zh": "办公室服务器的 CA 文件："}[
        lang
    ] in out
    assert main(["enroll", "--move-to", served.url, "--ca", str(office_ca / "ca.pem")]) == 0
    assert main(["sync"]) == 0


@pytest.mark.parametrize("bad", ["missing", "not_pem", "folder"])
def test_enrol_with_a_bad_ca_file_writes_nothing(tmp_path, laptop, capsys, bad):
    path = tmp_path / "office-ca.pem"
    if bad == "not_pem":
        path.write_text("this is not a certificate\n")
    elif bad == "folder":
        path.mkdir()
    assert main(["--lang", "en", "enroll", "https://localhost:9", "AAAA-BBBB-CC", "--ca",
                 str(path)]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert err.startswith("Cannot use --ca:") and "Nothing was written." in err
    assert not (laptop / "enrol-key.json").exists()
    assert sorted(p.name for p in laptop.iterdir()) == ["logs"]  # the command's log only
