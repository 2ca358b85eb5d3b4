"""What a backend raises when a message did not leave (jobs.py records it)."""


class DeliveryFailed(Exception):
    """The provider did not take the message; `final` when trying again cannot help (a
    refused number, address or template), else a later attempt may succeed (network,
    throttling)."""

    def __init__(self, reason: str, final: bool):
        super().__init__(reason)
        self.final = final
