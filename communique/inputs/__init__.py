"""The inputs stage, where a run begins: read files, archives, standard input and the web into
cleaned Articles (see ``readers``, ``web`` and ``clean``), each bad input a Failure."""
from communique.inputs.count import count_inputs
from communique.inputs.readers import InputError, read_inputs
from communique.model import Failure

__all__ = ["Failure", "InputError", "count_inputs", "read_inputs"]
