"""The ingest stage: read inputs into cleaned Articles (see ``readers`` and ``clean``)."""
from communique.ingest.readers import Failure, InputError, read_inputs, text_hash

__all__ = ["Failure", "InputError", "read_inputs", "text_hash"]
