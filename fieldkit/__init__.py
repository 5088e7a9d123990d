"""fieldkit: an offline-first terminal app for residential property-management field staff."""


def __getattr__(name: str) -> str:
    """``__version__`` is read from the installed metadata when asked for, not at import:
    every launch imports this package, few ask for the version."""
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fieldkit")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0.0.0+source"
