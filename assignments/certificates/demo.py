def seed_demo() -> None:
    pass
