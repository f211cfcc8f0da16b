"""Writes of internal messages: ``sending.message_send`` and ``receipts`` (read, acknowledge)."""
