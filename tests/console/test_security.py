"""The console's locks: every route refuses without a session, with another site's
session, with a role that may not; a POST without its CSRF token changes nothing; the
lock-out is shared by every server process on the database; passwords are never stored
or logged in plain text; cookies are HttpOnly, SameSite=Lax, Secure over HTTPS; sessions
end when idle, at sign-out and when the account is disabled. On SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from fieldkit_server.console import people
from fieldkit_server.tables import ConsoleSession, ConsoleUser, Record
from tests.console.conftest import PASSWORD

SITE, OTHER = "garden-court", "lake-view"


@pytest.fixture
def app(db_url):
    from fieldkit_server.app import create_app

    app = create_app(db_url, run_migrations=True)
    db = app.state.db
    people.add_user(db, name="王敏", role="supervisor", site=SITE, password=PASSWORD)
    people.add_user(db, name="刘洋", role="desk", site=SITE, password=PASSWORD)
    people.add_user(db, name="李娜", role="supervisor", site=OTHER, password=PASSWORD)
    yield app
    db.dispose()


def client(app, https: bool = False) -> TestClient:
    base = "https://office.example" if https else "http://testserver"
    return TestClient(app, base_url=base, raise_server_exceptions=False)


def signed_in(
    app, name: str, https: bool = False, password: str = PASSWORD, page: str = "/console/cases"
) -> tuple[TestClient, str]:
    """A client signed in as ``name``, and the CSRF token of ``page``."""
    c = client(app, https)
    form = c.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    done = c.post("/console/login", data={"csrf": token, "name": name, "password": password},
                  follow_redirects=False)  # fmt: skip
    assert done.status_code == 303, done.text
    shown = c.get(page)
    return c, re.search(r'name="csrf" value="([^"]+)"', shown.text).group(1)


def _put_case(app, site: str, case_id: str = "0190a0b0-0000-7000-8000-000000000001") -> str:
    """A case at ``site`` pushed by a desk device through the real push."""
    from fieldkit.model import Case, Target
    from fieldkit.model.hlc import HLC
    from fieldkit.sync import protocol as p
    from fieldkit_server.devices import add_device
    from fieldkit_server.push import Caller, push

    new = add_device(app.state.db, site=site, role="desk", name=f"desk {site}")
    stamp = str(HLC(1_700_000_000_000, 0, "dev1"))
    case = Case.new(case_id, "repair", Target("unit", "u1"), stamp, status="accepted",
                    site_id=site, title="漏水", category="water_leak")  # fmt: skip
    op = p.Operation(op_id=f"op-{case_id}", seq=1, hlc=stamp, kind="case", record_id=case_id,
                     site=site, body=case.to_dict())  # fmt: skip
    answer = push(app.state.db.sessions, Caller(new.device_id, site, "desk"), [op], "en")
    assert answer.results[0].status == "applied"
    return case_id


#: Every console route but the open ones (sign-in page, language switch, static files);
#: ``{case}`` is a real case of garden-court, ``{x}`` any id.
ROUTES = [
    ("GET", "/console/"),
    ("GET", "/console/dashboard"),
    ("GET", "/console/dashboard/live"),
    ("GET", "/console/cases"),
    ("GET", "/console/cases/{case}"),
    ("POST", "/console/cases/{case}/dispatch"),
    ("POST", "/console/cases/{case}/note"),
    ("POST", "/console/cases/{case}/move"),
    ("POST", "/console/cases/{case}/followup"),
    ("GET", "/console/files/{file}"),
    ("GET", "/console/incidents"),
    ("GET", "/console/incidents/{x}"),
    ("GET", "/console/incidents/{x}/timeline"),
    ("GET", "/console/devices"),
    ("POST", "/console/devices"),
    ("POST", "/console/devices/{x}/revoke"),
    ("GET", "/console/checklists"),
    ("POST", "/console/checklists"),
    ("GET", "/console/checklists/{x}"),
    ("GET", "/console/units"),
    ("POST", "/console/units/import"),
    ("GET", "/console/units/labels"),
    ("GET", "/console/reports"),
    ("GET", "/console/reports/export"),
    ("GET", "/console/reports/handover"),
    ("GET", "/console/people"),
    ("POST", "/console/people"),
    ("POST", "/console/people/{x}/password"),
    ("POST", "/console/people/{x}/disable"),
    ("GET", "/console/password"),
    ("POST", "/console/password"),
    ("POST", "/console/logout"),
    ("GET", "/console/{x}"),
]
OPEN = {("GET", "/console"), ("GET", "/console/login"), ("POST", "/console/login"),
        ("GET", "/console/lang/{}")}  # fmt: skip


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _app_routes(app):
    """(method, path) of every route, those of included routers too (FastAPI keeps an
    included router whole, under its prefix, rather than copying its routes)."""
    for route in app.routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            prefix = route.include_context.prefix
            found = [(prefix + r.path, r.methods) for r in inner.routes]
        else:
            found = [(getattr(route, "path", ""), getattr(route, "methods", None))]
        for path, methods in found:
            for method in {"GET", "POST"} & set(methods or ()):
                yield method, path


def test_the_route_list_here_covers_every_console_route(app):
    listed = {(m, _shape(p)) for m, p in ROUTES}
    seen = set()
    for method, path in _app_routes(app):
        if not path.startswith("/console") or path.startswith("/console/static"):
            continue
        shape = (method, _shape(path))
        seen.add(shape)
        assert shape in listed or shape in OPEN, shape
    assert listed <= seen  # and every route listed is served (the walk above saw them)


@pytest.mark.parametrize("method,path", ROUTES)
def test_every_route_refuses_without_a_session(app, method, path):
    case = _put_case(app, SITE)
    c = client(app)
    url = path.format(case=case, x="x", file="a" * 64)
    answer = c.request(method, url, follow_redirects=False,
                       data={"csrf": "x", "text": "hi"} if method == "POST" else None)  # fmt: skip
    if method == "GET":
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/console/login?next=")
    else:
        assert answer.status_code in (401, 403)
    assert "王敏" not in answer.text and "漏水" not in answer.text
    fragment = c.get("/console/dashboard/live", headers={"HX-Request": "true"})
    assert fragment.status_code == 401 and fragment.headers["HX-Redirect"] == "/console/login"


def test_another_sites_person_reaches_nothing_of_this_site(app):
    case = _put_case(app, SITE)
    other, token = signed_in(app, "李娜")
    assert other.get(f"/console/cases/{case}").status_code == 404
    assert case not in other.get("/console/cases?status=").text
    assert "工程部" not in other.get("/console/dashboard").text
    own_page = signed_in(app, "王敏")[0].get("/console/reports/handover").text
    assert "漏水" in own_page  # their site's handover has it as due, the other's has nothing
    for fmt in ("", "md"):
        handover = other.get(f"/console/reports/handover?format={fmt}&site={SITE}")
        assert handover.status_code == 200 and "漏水" not in handover.text
    for action in ("dispatch", "note", "move", "followup"):
        answer = other.post(f"/console/cases/{case}/{action}",
                            data={"csrf": token, "department": "engineering", "text": "x",
                                  "to": "dispatched", "score": "5"})  # fmt: skip
        assert answer.status_code == 404
    with app.state.db.read() as conn:
        body = orjson.loads(conn.execute(select(Record.body).where(Record.record_id == case))
                            .scalar_one())  # fmt: skip
    assert body["department"] == "" and len(body["events"]) == 0
    # their own site's clerk sees it
    own, _ = signed_in(app, "王敏")
    assert own.get(f"/console/cases/{case}").status_code == 200


def test_a_role_that_may_not_is_refused(app):
    desk, token = signed_in(app, "刘洋")
    assert desk.get("/console/devices").status_code == 403
    assert "设备" not in desk.get("/console/dashboard").text.split("<main>")[0]  # not in the menu
    answer = desk.post("/console/devices", data={"csrf": token, "name": "x", "role": "patrol"})
    assert answer.status_code == 403
    answer = desk.post("/console/checklists", data={"csrf": token, "text": "id: a"})
    assert answer.status_code == 403
    from fieldkit_server.devices import list_devices

    assert list_devices(app.state.db) == []


def test_a_post_without_its_csrf_token_changes_nothing(app):
    case = _put_case(app, SITE)
    c, token = signed_in(app, "王敏")
    for sent in ({}, {"csrf": ""}, {"csrf": token[:-1] + ("A" if token[-1] != "A" else "B")}):
        answer = c.post(f"/console/cases/{case}/note", data={**sent, "text": "偷偷加的"})
        assert answer.status_code == 403
        assert "页面已过期" in answer.text or "expired" in answer.text
    with app.state.db.read() as conn:
        body = conn.execute(select(Record.body).where(Record.record_id == case)).scalar_one()
    assert "偷偷加的" not in body
    # the right token, in the header htmx sends, works
    answer = c.post(f"/console/cases/{case}/note", data={"text": "请尽快上门"},
                    headers={"X-CSRF-Token": token}, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303
    # the sign-in form's own token: without the cookie's twin, no sign-in
    fresh = client(app)
    refused = fresh.post("/console/login", data={"csrf": "guess", "name": "王敏",
                                                 "password": PASSWORD})  # fmt: skip
    assert refused.status_code == 403 and "fk_session" not in refused.headers.get("set-cookie", "")


def test_lock_out_is_shared_by_every_server_process_on_the_database(app, db_url):
    from fieldkit_server.app import create_app

    second = create_app(db_url)  # another process on the same database
    try:
        for n in range(people.ACCOUNT_FAILURES):
            target = app if n % 2 else second
            result = people.sign_in(target.state.db, "王敏", "wrong password!", "10.0.0.9")
            assert result.person is None
        locked = people.sign_in(second.state.db, "王敏", PASSWORD, "10.0.0.8")
        assert locked.person is None and locked.wait > 0
        locked = people.sign_in(app.state.db, "王敏", PASSWORD, "10.0.0.7")
        assert locked.person is None and locked.wait > 0
        # a name that is no account counts the same: the answer never tells who exists
        for _ in range(people.ACCOUNT_FAILURES):
            people.sign_in(app.state.db, "无此人", "whatever-it-is", "10.0.0.6")
        assert people.sign_in(app.state.db, "无此人", "whatever-it-is", "10.0.0.6").wait > 0
        # once the window has passed, the right password works again
        with app.state.db.sessions() as session, session.begin():
            from fieldkit_server.tables import LoginFailure

            session.execute(update(LoginFailure).values(
                failed_at=people.now() - people.WINDOW - timedelta(seconds=1)))  # fmt: skip
        assert people.sign_in(second.state.db, "王敏", PASSWORD, "10.0.0.7").person is not None
    finally:
        second.state.db.dispose()


def test_passwords_are_never_stored_or_logged_in_plain_text(app, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    c = client(app)
    form = c.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    c.post("/console/login", data={"csrf": token, "name": "王敏", "password": "typo-" + PASSWORD})
    c.post("/console/login", data={"csrf": token, "name": "王敏", "password": PASSWORD})
    with app.state.db.read() as conn:
        stored = conn.execute(select(ConsoleUser.password_hash)).scalars().all()
        dumped = " ".join(str(row) for row in conn.exec_driver_sql(
            "SELECT * FROM console_users").all())  # fmt: skip
        dumped += " ".join(str(row) for row in conn.exec_driver_sql(
            "SELECT * FROM console_actions").all())  # fmt: skip
    assert all(h.startswith("$argon2id$") for h in stored)
    assert PASSWORD not in dumped
    assert PASSWORD not in caplog.text and "typo-" not in caplog.text


def test_the_command_line_takes_the_password_only_at_its_prompt(db_url, tmp_path):
    from tests.console.conftest import server_cli

    done = server_cli(db_url, "user", "add", "--name", "陈静", "--role", "manager",
                      "--site", SITE, "--password-stdin", stdin="short\n", lang="zh")  # fmt: skip
    assert done.returncode == 2 and "密码至少 10 个字符" in done.stderr
    done = server_cli(db_url, "user", "add", "--name", "陈静", "--role", "manager", "--site",
                      SITE, "--password", "x")  # fmt: skip
    assert done.returncode == 2  # there is no --password option
    args = ("user", "add", "--name", "陈静", "--role", "manager", "--site", SITE)
    done = server_cli(db_url, *args, "--password-stdin", stdin=PASSWORD + "\n", lang="zh")
    assert done.returncode == 0, done.stderr
    assert "已新建账号：陈静（物业经理，小区 garden-court）" in done.stdout
    assert PASSWORD not in done.stdout + done.stderr
    listed = server_cli(db_url, "user", "list", lang="zh").stdout
    assert "陈静 | 物业经理 | garden-court | 可用 | 从未" in listed
    done = server_cli(db_url, "user", "disable", "--name", "陈静", lang="zh")
    assert "已停用账号 陈静" in done.stdout
    listed = server_cli(db_url, "user", "list", lang="zh").stdout
    assert "陈静 | 物业经理 | garden-court | 已停用" in listed


def test_session_cookies_and_their_end(app):
    plain = client(app)
    form = plain.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    sent = {"csrf": token, "name": "王敏", "password": PASSWORD}
    done = plain.post("/console/login", data=sent, follow_redirects=False)
    cookie = done.headers["set-cookie"]
    assert "fk_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Path=/console" in cookie and "Secure" not in cookie
    secure = client(app, https=True)
    form = secure.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    sent = {"csrf": token, "name": "王敏", "password": PASSWORD}
    done = secure.post("/console/login", data=sent, follow_redirects=False)
    assert "Secure" in done.headers["set-cookie"]

    # idle for longer than IDLE: the session has ended
    c, _ = signed_in(app, "刘洋")
    with app.state.db.sessions() as session, session.begin():
        session.execute(update(ConsoleSession).values(
            seen_at=people.now() - people.IDLE - timedelta(minutes=1)))  # fmt: skip
    assert c.get("/console/cases", follow_redirects=False).status_code == 303
    # disabling the account ends its sessions at once
    c, _ = signed_in(app, "王敏")
    assert c.get("/console/cases").status_code == 200
    people.disable_user(app.state.db, "王敏")
    assert c.get("/console/cases", follow_redirects=False).status_code == 303
    assert people.sign_in(app.state.db, "王敏", PASSWORD, "1.2.3.4").person is None


def test_a_body_over_the_cap_is_refused_before_it_is_read(app):
    c, token = signed_in(app, "王敏")
    big = b"x" * (5 * 1024 * 1024)
    answer = c.post("/console/checklists", content=big,
                    headers={"Content-Type": "application/x-www-form-urlencoded",
                             "X-CSRF-Token": token})  # fmt: skip
    assert answer.status_code == 413


def test_open_redirects_are_refused(app):
    c = client(app)
    answer = c.get("/console/lang/en?next=//evil.example/x", follow_redirects=False)
    assert answer.headers["location"] == "/console/"
    answer = c.get("/console/lang/en?next=https://evil.example/", follow_redirects=False)
    assert answer.headers["location"] == "/console/"


UNITS_CSV = (
    "site_id,number,building_id,floor,owner_name,owner_phone\n"
    "{site},3-2-1501,3,15,王芳,13800001501\n"
)


def _units(app) -> int:
    from sqlalchemy import func

    with app.state.db.read() as conn:
        query = select(func.count()).select_from(Record).where(Record.kind == "unit")
        return int(conn.execute(query).scalar_one())


def _import(c, token: str, text: str, step: str = "import"):
    return c.post("/console/units/import", data={"csrf": token, "what": "units", "step": step},
                  files={"file": ("units.csv", text.encode("utf-8"), "text/csv")})  # fmt: skip


def test_units_accounts_may_not_be_reached_by_a_role_that_may_not(app):
    desk, token = signed_in(app, "刘洋")
    menu = desk.get("/console/dashboard").text.split("<main>")[0]
    assert "房屋与住户" not in menu and "账号" not in menu and "报表" in menu
    assert desk.get("/console/units").status_code == 403
    assert _import(desk, token, UNITS_CSV.format(site=SITE)).status_code == 403
    assert desk.get(f"/console/units/labels?site={SITE}").status_code == 403
    assert desk.get("/console/people").status_code == 403
    answer = desk.post("/console/people", data={"csrf": token, "name": "新人", "role": "admin",
                                                "site": SITE, "password": PASSWORD})  # fmt: skip
    assert answer.status_code == 403
    assert _units(app) == 0 and "新人" not in [u.name for u in people.list_users(app.state.db)]
    supervisor, token = signed_in(app, "王敏")
    assert supervisor.get("/console/people").status_code == 403  # accounts: the admin's only
    assert supervisor.get("/console/units").status_code == 200


def test_another_sites_person_imports_and_prints_nothing_of_this_site(app):
    from fieldkit_server.imports import write_office_records

    write_office_records(app.state.db, "site", [{"id": SITE, "site_id": SITE, "code": "GC"}])
    own, token = signed_in(app, "王敏")
    assert _import(own, token, UNITS_CSV.format(site=SITE)).status_code == 200
    other, token = signed_in(app, "李娜")
    answer = _import(other, token, UNITS_CSV.format(site=SITE).replace("3-2-1501", "9-9-909"))
    assert answer.status_code == 422
    assert "garden-court 不是您负责的小区" in answer.text  # in the person's language: zh
    assert _units(app) == 1  # only 王敏's
    assert other.get(f"/console/units/labels?site={SITE}").status_code == 404
    assert " · GC<" in own.get("/console/units").text  # this site's label code, as shown
    assert " · GC<" not in other.get("/console/units").text  # (not "GC": a CSRF token may hold it)
    assert own.get(f"/console/units/labels?site={SITE}").headers["content-type"] == (
        "application/pdf"
    )
    _put_case(app, SITE)
    page = other.get("/console/reports?from=2000-01-01").text
    assert "漏水" not in page
    export = other.get("/console/reports/export?what=cases&format=csv&from=2000-01-01")
    assert export.status_code == 200 and "漏水" not in export.content.decode("utf-8-sig")
    mine = own.get("/console/reports/export?what=cases&format=csv&from=2000-01-01")
    assert mine.content.startswith("\ufeff".encode()) and "漏水" in mine.content.decode("utf-8")


def _sized(size: int) -> str:
    """A clean units file of exactly ``size`` bytes."""
    text, n = "site_id,number,owner_name\n", 0
    while len(text) < size - 200:
        n += 1
        text += f"{SITE},1-{n:05d},{'x' * 60}\n"
    last = f"{SITE},2-00001,"
    return text + last + "y" * (size - len(text) - len(last) - 1) + "\n"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_file_the_import_button_could_not_send_back_is_refused_at_the_check(
    app, monkeypatch, lang
):
    from fieldkit_server.console import units, web

    monkeypatch.setattr(web, "MAX_BODY", 256 * 1024)
    c, token = signed_in(app, "王敏")
    if lang == "en":
        c.get("/console/lang/en")
    too_big = _import(c, token, _sized(units.most_file() + 1), step="check")
    assert too_big.status_code == 413
    if lang == "zh":
        assert "“units.csv”太大，这里最多只能导入 0.1 MB 的文件" in too_big.text
    else:
        assert "units.csv is too large to import here: at most 0.1 MB" in too_big.text
    checked = _import(c, token, _sized(units.most_file()), step="check")
    assert checked.status_code == 200
    form = checked.text.split('id="import-form"')[0].rsplit("<form", 1)[1]
    assert 'enctype="multipart/form-data"' in form  # base64 travels as it is, not %-escaped
    staged = re.search(r'name="staged" value="([^"]+)"', checked.text).group(1)
    fields = {"csrf": token, "what": "units", "filename": "units.csv", "staged": staged,
              "step": "import"}  # fmt: skip
    done = c.post("/console/units/import", files={k: (None, v) for k, v in fields.items()})
    assert done.status_code == 200, done.text[:300]
    assert _units(app) > 1000


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_file_not_in_utf8_is_refused_in_the_persons_language(app, lang):
    c, token = signed_in(app, "王敏")
    if lang == "en":
        c.get("/console/lang/en")
    gbk = UNITS_CSV.format(site=SITE).encode("gbk")  # Excel's plain "CSV" in Chinese
    answer = c.post("/console/units/import", data={"csrf": token, "what": "units",
                                                   "step": "check"},
                    files={"file": ("单元.csv", gbk)})  # fmt: skip
    assert answer.status_code == 422
    if lang == "zh":
        assert "不是 UTF-8 编码：请在 Excel 里另存为“CSV UTF-8（逗号分隔）”" in answer.text
    else:
        assert "is not in UTF-8: in Excel, save it as" in answer.text
    assert "codec" not in answer.text and _units(app) == 0


def test_an_office_wide_person_chooses_among_the_sites_with_cases(app):
    people.add_user(app.state.db, name="陈静", role="supervisor", site="*", password=PASSWORD)
    _put_case(app, SITE)
    c, _ = signed_in(app, "陈静")
    page = c.get("/console/reports?from=2000-01-01").text
    assert f'<option value="{SITE}">' in page and f'<option value="{OTHER}">' not in page


def test_an_admin_of_one_site_manages_only_that_sites_accounts(app):
    people.add_user(app.state.db, name="周强", role="admin", site=OTHER, password=PASSWORD)
    admin, token = signed_in(app, "周强")
    page = admin.get("/console/people").text
    assert "李娜" in page and "王敏" not in page
    wang = next(u for u in people.list_users(app.state.db) if u.name == "王敏")
    for action in ("password", "disable"):
        answer = admin.post(f"/console/people/{wang.id}/{action}",
                            data={"csrf": token, "password": "another-pass-1"})  # fmt: skip
        assert answer.status_code == 404
    assert people.sign_in(app.state.db, "王敏", PASSWORD, "1.2.3.4").person is not None


def test_a_first_password_opens_nothing_but_the_password_page(app):
    admin_pw = "admin-pass-2026"
    people.add_user(app.state.db, name="admin", role="admin", site="*", password=admin_pw)
    c, token = signed_in(app, "admin", password=admin_pw, page="/console/people")
    added = c.post("/console/people", data={"csrf": token, "name": "赵丽", "role": "desk",
                                             "site": SITE, "password": "first-pass-1"})  # fmt: skip
    assert added.status_code == 200 and "赵丽" in added.text
    case = _put_case(app, SITE)
    zhao, token = signed_in(app, "赵丽", password="first-pass-1", page="/console/password")
    answer = zhao.get("/console/cases", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/console/password"
    refused = zhao.post(f"/console/cases/{case}/note", data={"csrf": token, "text": "先写一句"})
    assert refused.status_code == 403
    for current, status in (("not-it-at-all", 422), ("first-pass-1", 200)):
        answer = zhao.post("/console/password", data={"csrf": token, "current": current,
                                                      "new": "zhao-own-pass",
                                                      "again": "zhao-own-pass"})  # fmt: skip
        assert answer.status_code == status
    assert zhao.get("/console/cases", follow_redirects=False).status_code == 200
    with app.state.db.read() as conn:
        rows = conn.exec_driver_sql("SELECT user_name, action FROM console_actions").all()
    assert ("admin", "user_added") in [tuple(r) for r in rows]
    assert ("赵丽", "own_password_set") in [tuple(r) for r in rows]
    assert "first-pass-1" not in str(rows) and "zhao-own-pass" not in str(rows)


def test_an_export_over_its_bound_is_refused_whole(app, monkeypatch):
    from fieldkit_server.console import reports

    _put_case(app, SITE)
    monkeypatch.setitem(reports.EXPORT_MOST, "xlsx", 0)
    c, _ = signed_in(app, "王敏")
    answer = c.get("/console/reports/export?what=cases&format=xlsx&from=2000-01-01")
    assert answer.status_code == 422 and "超过 0 张，未导出" in answer.text
    assert c.get("/console/reports/export?what=cases&format=csv").status_code == 200
