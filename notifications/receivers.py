"""Signal receivers turning other apps' events into alerts (connected in ``ready()``)."""


def connect() -> None:
    pass
