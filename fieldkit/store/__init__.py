"""The device store: TinyDB on crash-safe storage, the outbox and attachments."""
