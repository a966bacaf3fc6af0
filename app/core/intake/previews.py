"""Where an import sends its pictures for previews: the caller's pool (the desktop app keeps
one for its session), or, for the command line, a pool of its own whose workers start when the
first picture arrives.

Starting two workers costs about 1.5 s of CPU (each imports Pillow and warms its decoders), on
a two-core machine the core that a big file's reading, hashing and folding use: adding a video
or documents alone never starts them.
"""

from concurrent.futures import Future
from typing import Any, Protocol

from app.core.pictures import PreviewPool, PreviewResult
from app.core.sandbox import Source, default_workers


class Previews(Protocol):
    """What intake uses of a PreviewPool."""

    @property
    def workers(self) -> int: ...

    def submit(self, source: Source, params: dict[str, Any] | None = None, *,
               max_side: int | None = None, reading: bool = False) -> Future[PreviewResult]: ...


class PreviewsOnDemand:
    """A PreviewPool of `workers` (or the default count) started by the first `submit`; use as
    a context manager: the pool, if started, is closed at the end."""

    def __init__(self, workers: int | None = None) -> None:
        self._workers = workers
        self._pool: PreviewPool | None = None

    @property
    def workers(self) -> int:
        return self._workers or default_workers()

    def submit(self, source: Source, params: dict[str, Any] | None = None, *,
               max_side: int | None = None, reading: bool = False) -> Future[PreviewResult]:
        if self._pool is None:
            self._pool = PreviewPool(workers=self.workers)
        return self._pool.submit(source, params, max_side=max_side, reading=reading)

    def __enter__(self) -> "PreviewsOnDemand":
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if self._pool is not None:
            self._pool.__exit__(kind, None, None)
            self._pool = None
