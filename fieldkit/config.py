"""Typed configuration and the folders fieldkit uses.

The data folder comes from platformdirs unless ``FIELDKIT_DATA_DIR`` names one; the config
file likewise unless ``FIELDKIT_CONFIG`` names one. Tests set both, so they never touch a
real home folder.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

import platformdirs

APP_NAME = "fieldkit"
DATA_DIR_ENV = "FIELDKIT_DATA_DIR"
CONFIG_ENV = "FIELDKIT_CONFIG"
SCAN_GAP_ENV = "FIELDKIT_SCAN_GAP_MS"
SCAN_GAP_DEFAULT_MS = 25  # see fieldkit.ui.scan for why
SCAN_GAP_MAX_MS = 200
#: Keys a scanner can send before a code: a control character or a function key, leaving out
#: what a terminal reads as Backspace, Tab or Enter (ctrl+h, i, j, m) and the app's own keys
#: (ctrl+c, l, p, q, t; f1 help, f2 incident).
SCAN_PREFIX = re.compile(r"ctrl\+[abdefgknorsuvwxyz]|f(?:[3-9]|1[0-9]|2[0-4])")

PREFETCH_DEFAULT_MB = 50
PREFETCH_MAX_MB = 100_000

LANGUAGES = ("zh", "en")
THEMES = ("default", "high-contrast")


class ConfigError(Exception):
    """The config file cannot be used; ``key`` names the i18n message, ``params`` fill it."""

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


@dataclass(frozen=True)
class Config:
    """What a user may set in ``config.toml``. Every key is optional."""

    language: str | None = None
    theme: str = "default"
    server_url: str | None = None
    watch_folder: str | None = None
    #: Longest pause (ms) between the keys of one barcode-scanner code; 0 = no scanner on
    #: this device (keys are never held back). ``FIELDKIT_SCAN_GAP_MS`` overrides the file.
    scan_gap_ms: int = SCAN_GAP_DEFAULT_MS
    #: The key a scanner sends before each code ("ctrl+b" for STX, "f9" ...): codes are then
    #: recognised by it and no key is held back; "" = recognise scanners by their speed.
    scan_prefix: str = ""
    #: MB of the photos of open cases and incidents ``fieldkit sync`` fetches ahead of
    #: time (0: none; the others are fetched when a screen shows them).
    prefetch_mb: int = PREFETCH_DEFAULT_MB
    data_dir: Path = field(default_factory=data_dir)


def load_config(path: Path | None = None) -> Config:
    """Read the config file; a missing file gives the defaults, a bad one a ConfigError."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config(scan_gap_ms=scan_gap_ms(SCAN_GAP_DEFAULT_MS, str(path)))
    except OSError as exc:
        raise ConfigError("cli.config.unreadable", path=str(path), reason=exc.strerror) from exc
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("cli.config.syntax", path=str(path), reason=str(exc)) from exc

    known = {f.name for f in fields(Config)} - {"data_dir"}
    unknown = sorted(set(doc) - known)
    if unknown:
        raise ConfigError("cli.config.unknown_key", path=str(path), key=unknown[0])
    scan_gap = scan_gap_ms(doc.get("scan_gap_ms", SCAN_GAP_DEFAULT_MS), str(path))
    prefetch = doc.get("prefetch_mb", PREFETCH_DEFAULT_MB)
    if (
        isinstance(prefetch, bool)
        or not isinstance(prefetch, int)
        or not 0 <= prefetch <= PREFETCH_MAX_MB
    ):
        raise ConfigError(
            "attachments.config.bad_prefetch",
            path=str(path),
            value=str(prefetch),
            most=PREFETCH_MAX_MB,
        )
    for key in (known - {"scan_gap_ms", "prefetch_mb"}) & set(doc):
        if not isinstance(doc[key], str):
            raise ConfigError("cli.config.not_text", path=str(path), key=key)
    language = doc.get("language")
    if language is not None:
        language = normalise_language(language)
        if language is None:
            raise ConfigError("cli.config.bad_language", path=str(path), value=doc["language"])
    scan_prefix = doc.get("scan_prefix", "")
    if scan_prefix and not SCAN_PREFIX.fullmatch(scan_prefix):
        raise ConfigError("cli.config.bad_scan_prefix", path=str(path), value=scan_prefix)
    theme = doc.get("theme", "default")
    if theme not in THEMES:
        raise ConfigError("cli.config.bad_theme", path=str(path), value=theme)
    return Config(
        language=language,
        theme=theme,
        server_url=doc.get("server_url"),
        watch_folder=doc.get("watch_folder"),
        scan_gap_ms=scan_gap,
        scan_prefix=scan_prefix,
        prefetch_mb=prefetch,
    )


def scan_gap_ms(value: object, where: str) -> int:
    """The scanner key gap in ms: the environment's ``FIELDKIT_SCAN_GAP_MS`` if set, else
    ``value`` from the file; a whole number from 0 to SCAN_GAP_MAX_MS, else ConfigError."""
    override = os.environ.get(SCAN_GAP_ENV, "").strip()
    if override:
        where, value = SCAN_GAP_ENV, int(override) if override.isdigit() else override
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= SCAN_GAP_MAX_MS:
        raise ConfigError(
            "cli.config.bad_scan_gap", path=where, value=str(value), most=SCAN_GAP_MAX_MS
        )
    return value


def normalise_language(value: str | None) -> str | None:
    """Map ``zh``, ``zh-CN``, ``zh_CN.UTF-8``, ``en_US`` ... to ``zh`` or ``en``; else None."""
    if not value:
        return None
    head = value.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return head if head in LANGUAGES else None


def language_from_environment(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var)
        if value:
            for part in value.split(":"):
                lang = normalise_language(part)
                if lang:
                    return lang
            if var != "LANGUAGE":
                return "en"
    return "en"
