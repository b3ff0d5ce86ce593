"""The ingest stage: read inputs into cleaned Articles (see ``readers`` and ``clean``)."""
from communique.ingest.readers import Failure, InputError, read_inputs

__all__ = ["Failure", "InputError", "read_inputs"]
