"""fieldkit: an offline-first terminal app for residential property-management field staff."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("fieldkit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
