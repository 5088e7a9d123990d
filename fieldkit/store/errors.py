"""Errors the store raises. Each names an i18n message (``key``) and its parameters, so the
CLI and the UI can say in the user's language what is wrong and what to do."""

from __future__ import annotations


class StoreError(Exception):
    """Something about the data folder that a person must hear about."""

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(f"{key} {params}")
        self.key = key
        self.params = params

    def message(self) -> str:
        from fieldkit.i18n import t

        return t(self.key, **self.params)


class StoreLocked(StoreError):
    """Another fieldkit process holds this data folder; ``holder`` says which."""

    def __init__(self, path: str, holder: dict) -> None:
        super().__init__(
            "store.error.locked",
            path=path,
            pid=holder.get("pid", "?"),
            host=holder.get("host", "?"),
            command=holder.get("command", "?"),
            since=holder.get("since", "?"),
        )
        self.holder = holder


class StoreDamaged(StoreError):
    """A store file is unreadable and no good earlier generation exists."""


class NotFound(StoreError):
    """No record with that id (or not one that can take this change)."""


class BlobError(StoreError):
    """An attachment is missing, or its bytes are not what its sha256 says."""
