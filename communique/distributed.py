"""Coding on a Dask cluster: ``communique ingest --workers N`` or ``--scheduler ADDRESS``.

The driver runs the same loop as a single process (:meth:`Pipeline.run`: it reads the
inputs as a stream, settles which articles are already known, and takes the results back
in input order), with :class:`DaskMapper` sending the batches to the workers; each worker
builds the pipeline once (:meth:`Pipeline.get`) and codes its batches, so the output is the
same as a single process's. At most ``IN_FLIGHT_PER_WORKER`` batches per worker are in
flight, which bounds the driver's memory.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Optional, Union

from .model import Article, Failure
from .pipeline import Pipeline
from .settings import Settings

IN_FLIGHT_PER_WORKER = 3
WORKER_ENVIRON = {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1}  # one core each
DISTRIBUTED_BATCH = 16  # articles per task: enough to amortise the round trip, small enough to balance


def code_batch(settings: Settings, articles: list[Article]) -> list[Union[Article, Failure]]:
    """Code a batch on a worker (the pipeline is built once per worker process); an article a stage
    fails on comes back as a Failure."""
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


class DaskMapper:
    """Codes batches on the cluster's workers (see :class:`communique.pipeline.BatchMapper`): at most
    ``IN_FLIGHT_PER_WORKER`` batches per worker under way, ``DISTRIBUTED_BATCH`` articles each."""

    batch_size = DISTRIBUTED_BATCH

    def __init__(self, client, settings: Settings):
        self.client, self.settings = client, settings
        self.in_flight = IN_FLIGHT_PER_WORKER * max(len(client.scheduler_info().get("workers", {})), 1)

    def submit(self, articles: list[Article]):
        return self.client.submit(code_batch, self.settings, articles, pure=False)

    def result(self, future) -> list[Union[Article, Failure]]:
        return future.result()
