"""Reading the package's own data files (``communique/data``), and how its linear models (the event
and quote models' weight files) read features."""
from __future__ import annotations

import csv
import zlib
from importlib import resources
from typing import TYPE_CHECKING, Iterable, Iterator, Optional

import numpy as np

if TYPE_CHECKING:
    from spacy.tokens import Token


def data_path(name: str):
    """The path of a data file (a Traversable; ``.exists()``, ``open()``)."""
    return resources.files("communique").joinpath("data", name)


def read_text(name: str) -> str:
    return data_path(name).read_text(encoding="utf-8")


def read_table(name: str) -> Iterator[dict[str, str]]:
    """Rows of a tab-separated data file with a header row; ``#`` lines are comments."""
    lines = [line for line in read_text(name).splitlines() if line.strip() and not line.startswith("#")]
    yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)


def read_words(name: str) -> frozenset[str]:
    """The entries of a one-per-line word list; ``#`` lines are comments."""
    lines = (line.strip() for line in read_text(name).splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def hashed(feats: Iterable[str], buckets: int) -> np.ndarray:
    """The rows of a hashed linear model's weights that feature strings select (CRC-32 modulo ``buckets``)."""
    return np.fromiter((zlib.crc32(f.encode("utf-8")) % buckets for f in feats), dtype=np.int64)


def model_arrays(name: str) -> Optional[dict[str, np.ndarray]]:
    """The arrays of a model file of ``communique/data`` by their names, or None where it is absent."""
    path = data_path(name)
    if not path.exists():
        return None
    with path.open("rb") as f, np.load(f) as data:
        return {k: data[k] for k in data.files}


def softmax(z: np.ndarray) -> np.ndarray:
    """Probabilities from a vector of scores."""
    z = np.exp(z - z.max())
    return z / z.sum()


DENSE = 96  # width of the parser's token vectors (``Doc.tensor``) of the default spaCy pipeline


def dense_vector(tok: "Token") -> np.ndarray:
    """The parser's context vector of the token (unit length), or zeros where the pipeline keeps none."""
    tensor = tok.doc.tensor
    if tensor is None or tensor.ndim != 2 or tensor.shape != (len(tok.doc), DENSE):
        return np.zeros(DENSE, dtype=np.float32)
    vec = np.asarray(tensor[tok.i], dtype=np.float32)
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm else vec
