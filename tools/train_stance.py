#!/usr/bin/env python3
"""Fine-tune the stance classifier (communique/data/stance_model.npz).

    .venv/bin/pip install -e '.[train]'     # torch 2.13.0, CPU build, for training only
    .venv/bin/python tools/train_stance.py --shared ../shared

Reads the training split of the directed-sentiment data (Park, Pan & Joo 2021;
``shared/data/gold/directed-sentiment/train.txt``), marks the two entities of each sentence as
``communique.stances.classifier.marked_ids`` does, and fine-tunes the top ``--layers`` layers
of the MiniLM encoder with a linear layer over the two marks' vectors and the sentence's mean
vector (the lower layers stay as the package's, so their outputs are computed once). Every
pair is read both ways round (the label turned for the second reading); the loss weighs each
label by the square root of its rarity; AdamW with linear warm-up and decay; dropout 0.1 as in
BERT; seeds fixed. Prints the validation split's figures (lines not repeated in the training
split) after each epoch, then checks that the numpy encoder of the package gives the same
probabilities as torch before writing the model (fine-tuned layers and linear layer, float16).
Runs on the CPU: about 8 minutes an epoch for four layers on two cores.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from communique.encoder import HEADS, LAYERS, WIDTH, base_weights  # noqa: E402
from communique.evaluate.stance import read_pairs, score_stance  # noqa: E402
from communique.stances.classifier import LABELS, MODEL_FILE, SWAPPED, VERSION, StanceModel, marked_ids  # noqa: E402


def main(argv=None) -> int:
    import torch
    import torch.nn.functional as F

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True)
    parser.add_argument("--layers", type=int, default=4, help="top layers of the encoder to fine-tune")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args(argv)
    torch.manual_seed(0)
    random.seed(0)
    folder = args.shared / "data/gold/directed-sentiment"
    train, valid = read_pairs(str(folder / "train.txt")), read_pairs(str(folder / "valid.txt"))
    print(f"train {len(train)} pairs, validation (unseen) {len(valid)}", flush=True)
    w = {k: torch.tensor(v) for k, v in base_weights().items()}
    frozen = LAYERS - args.layers
    training = {"on": False}

    def linear(x, name):
        return F.linear(x, w[name + ".weight"], w[name + ".bias"])

    def dropout(x):
        return F.dropout(x, 0.1) if training["on"] else x

    def layer(h, mask, n):  # the arithmetic of communique.encoder.Encoder.layer
        p = f"encoder.layer.{n}."
        b, t, _ = h.shape
        q, k, v = (linear(h, p + f"attention.self.{m}").view(b, t, HEADS, WIDTH // HEADS).transpose(1, 2)
                   for m in ("query", "key", "value"))
        scores = dropout(F.softmax(q @ k.transpose(-1, -2) / np.sqrt(WIDTH // HEADS) + mask[:, None, None, :], -1))
        context = (scores @ v).transpose(1, 2).reshape(b, t, WIDTH)
        h = F.layer_norm(dropout(linear(context, p + "attention.output.dense")) + h, (WIDTH,),
                         w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], 1e-12)
        inner = F.gelu(linear(h, p + "intermediate.dense"))
        return F.layer_norm(dropout(linear(inner, p + "output.dense")) + h, (WIDTH,),
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], 1e-12)

    def padded(rows):
        length = max(len(r) for r in rows)
        mask = torch.full((len(rows), length), -1e4)
        for r, row in enumerate(rows):
            mask[r, :len(row)] = 0.0
        return length, mask

    def lower(marked):
        """The frozen layers' output of each marked sentence (computed once)."""
        out = [None] * len(marked)
        order = sorted(range(len(marked)), key=lambda n: len(marked[n][0]))
        with torch.no_grad():
            for s in range(0, len(order), 64):
                batch = order[s:s + 64]
                length, mask = padded([marked[n][0] for n in batch])
                ids = torch.zeros(len(batch), length, dtype=torch.long)
                for r, n in enumerate(batch):
                    ids[r, :len(marked[n][0])] = torch.tensor(marked[n][0])
                h = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length]
                     + w["embeddings.token_type_embeddings.weight"][0])
                h = F.layer_norm(h, (WIDTH,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], 1e-12)
                for n in range(frozen):
                    h = layer(h, mask, n)
                for r, n in enumerate(batch):
                    out[n] = h[r, :len(marked[n][0])].clone()
        return out

    start = time.time()
    marked_train = [marked_ids(p.text, p.first, p.second) for p in train]
    marked_valid = [marked_ids(p.text, p.first, p.second) for p in valid]
    low_train, low_valid = lower(marked_train), lower(marked_valid)
    print(f"frozen layers run in {time.time() - start:.0f} s", flush=True)
    tuned = [k for k in w if any(k.startswith(f"encoder.layer.{n}.") for n in range(frozen, LAYERS))]
    for k in tuned:
        w[k] = torch.nn.Parameter(w[k].clone())
    head = torch.nn.Linear(3 * WIDTH, len(LABELS))
    params = [w[k] for k in tuned] + list(head.parameters())
    labels = torch.tensor([p.label for p in train])
    rarity = (len(labels) / (len(LABELS) * torch.bincount(labels, minlength=len(LABELS)).float())) ** 0.5
    swapped = torch.tensor(SWAPPED)
    optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    steps = args.epochs * -(-len(train) // args.batch)
    warm = 0.06 * steps
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, s / warm) * max(0.0, (steps - s) / (steps - warm)))

    def logits(lows, marked, batch):
        length, mask = padded([marked[n][0] for n in batch])
        h = torch.zeros(len(batch), length, WIDTH)
        for r, n in enumerate(batch):
            h[r, :len(marked[n][0])] = lows[n]
        for n in range(frozen, LAYERS):
            h = layer(h, mask, n)
        rows = torch.arange(len(batch))
        one = torch.tensor([marked[n][1] for n in batch])
        two = torch.tensor([marked[n][2] for n in batch])
        keep = (mask == 0).float()[..., None]
        mean = (h * keep).sum(1) / keep.sum(1)
        first, second = h[rows, one], h[rows, two]
        return head(dropout(torch.cat([first, second, mean], -1))), head(dropout(torch.cat([second, first, mean], -1)))

    def validate():
        training["on"] = False
        probs = []
        with torch.no_grad():
            for s in range(0, len(valid), 64):
                one_two, two_one = logits(low_valid, marked_valid, list(range(s, min(s + 64, len(valid)))))
                probs.append((F.softmax(one_two, -1) + F.softmax(two_one, -1)[:, swapped]) / 2)
        return torch.cat(probs).numpy()

    for epoch in range(1, args.epochs + 1):
        training["on"] = True
        order = list(range(len(train)))
        random.shuffle(order)
        total = 0.0
        for s in range(0, len(order), args.batch):
            batch = order[s:s + args.batch]
            one_two, two_one = logits(low_train, marked_train, batch)
            y = labels[batch]
            loss = F.cross_entropy(one_two, y, weight=rarity) + F.cross_entropy(two_one, swapped[y], weight=rarity)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item() * len(batch)
        probs = validate()
        result = score_stance([p.label for p in valid], probs.argmax(axis=1).tolist())
        print(f"epoch {epoch}: loss {total / len(train):.3f}, {time.time() - start:.0f} s, validation {result}",
              flush=True)

    arrays = {f"top/{k}": w[k].detach().numpy().astype(np.float16) for k in tuned}
    arrays |= {"head.weight": head.weight.detach().numpy().astype(np.float16),
               "head.bias": head.bias.detach().numpy().astype(np.float16)}
    # the numpy encoder, with the weights as stored, must read the pairs as torch did
    model = StanceModel.from_arrays(arrays)
    check = model.probabilities([(p.text, p.first, p.second) for p in valid[:200]])
    gap = float(np.abs(check - probs[:200]).max())
    print(f"numpy against torch, 200 validation pairs: largest difference {gap:.4f}")
    if gap > 0.02:
        print("the numpy encoder does not reproduce torch's numbers: model not written", file=sys.stderr)
        return 1
    out = REPO / "communique" / "data" / MODEL_FILE
    np.savez_compressed(out, version=np.array(VERSION), **arrays)
    print(f"wrote {out.relative_to(REPO)} ({out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
