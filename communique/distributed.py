"""Coding on a Dask cluster: ``communique ingest --workers N`` or ``--scheduler ADDRESS``.

The driver reads the inputs (a stream: the corpus is never loaded whole), settles which
articles are already known, and sends batches of the others to the workers; each worker
builds the pipeline once (:meth:`Pipeline.get`) and codes its batches; the driver takes the
results back in input order and stores them, so the output is the same as a single
process's. At most ``IN_FLIGHT_PER_WORKER`` batches per worker are in flight, which bounds
the driver's memory.
"""
from __future__ import annotations

import logging
from collections import deque
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, Optional, Union

from .ingest import Failure, read_inputs
from .model import Article
from .pipeline import Duplicate, Pipeline
from .settings import Settings

IN_FLIGHT_PER_WORKER = 3
WORKER_ENVIRON = {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1}  # one core each
DISTRIBUTED_BATCH = 16  # articles per task: enough to amortise the round trip, small enough to balance


def code_batch(settings: Settings, articles: list[Article]) -> list[Article]:
    """Code a batch on a worker (the pipeline is built once per worker process)."""
    return list(Pipeline.get(settings).code_articles(articles))


@contextmanager
def dask_client(workers: Optional[int], scheduler: Optional[str]):
    """A client of the cluster at ``scheduler``, or of a LocalCluster of ``workers`` processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    import dask

    # Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in its workers, which makes glibc return memory
    # to the system all the time: a tenth slower for spaCy's many small allocations, measured
    with dask.config.set({"distributed.nanny.pre-spawn-environ": WORKER_ENVIRON}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    try:
        yield client
    finally:
        log = logging.getLogger("distributed")
        level = log.level
        log.setLevel(logging.CRITICAL)  # workers' heartbeats racing the shutdown log closed streams
        try:
            client.close()
            cluster.close()
        finally:
            log.setLevel(level)


def code_paths_on(client, settings: Settings, paths: Iterable[str], stdin=None,
                  keep: Optional[Callable[[list[Article]], list]] = None,
                  batch_size: int = DISTRIBUTED_BATCH) -> Iterator[Union[Article, Failure, Duplicate]]:
    """As :meth:`Pipeline.code_paths`, with the coding done by the cluster's workers."""
    workers = max(len(client.scheduler_info().get("workers", {})), 1)
    queue: deque = deque()  # in input order: (future or None, verdicts, articles, failures)
    pending: list[Article] = []

    def submit() -> None:
        verdicts = keep(pending) if keep else [None] * len(pending)
        fresh = [a for a, v in zip(pending, verdicts, strict=True) if v is None]
        future = client.submit(code_batch, settings, fresh, pure=False) if fresh else None
        queue.append((future, verdicts, list(pending), []))

    def drain(limit: int) -> Iterator[Union[Article, Failure, Duplicate]]:
        """Hand back the oldest entries while more than ``limit`` batches are in flight (all: -1)."""
        while queue and (limit < 0 or sum(entry[0] is not None for entry in queue) > limit):
            future, verdicts, articles, failures = queue.popleft()
            yield from failures
            coded = iter(future.result() if future is not None else [])
            for article, verdict in zip(articles, verdicts, strict=True):
                yield next(coded) if verdict is None else Duplicate(article, *verdict)

    fields = dict(settings.fields) or None
    for item in read_inputs(paths, stdin=stdin, max_bytes=settings.max_bytes, fields=fields):
        if isinstance(item, Failure):
            if pending:
                submit()
                pending = []
            queue.append((None, [], [], [item]))
        else:
            pending.append(item)
            if len(pending) >= batch_size:
                submit()
                pending = []
        yield from drain(IN_FLIGHT_PER_WORKER * workers)
    if pending:
        submit()
    yield from drain(-1)
