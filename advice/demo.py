"""The advice office's part of the demo (filled in below)."""


def seed_demo() -> None:
    """Nothing yet."""
