"""The cyclic garbage collector runs on the GUI thread only (app/ui/kit/collector.py): a worker
thread that makes garbage never collects it itself, and the timer collects the generations
the thresholds call for."""

import gc
import threading

from pytestqt.qtbot import QtBot

from app.ui.kit.collector import GuiThreadCollector, freeze_heap


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_worker_never_collects_and_the_gui_thread_does(qtbot: QtBot) -> None:
    collector = GuiThreadCollector()
    collector.start()
    collected_in: list[str] = []

    def note(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            collected_in.append(threading.current_thread().name)

    gc.callbacks.append(note)
    try:
        worker = threading.Thread(target=lambda: [_Cycle() for _ in range(200_000)],
                                  name="worker")
        worker.start()
        worker.join()
        assert "worker" not in collected_in
        qtbot.waitUntil(lambda: bool(collected_in), timeout=3000)
        assert set(collected_in) == {threading.main_thread().name}
    finally:
        gc.callbacks.remove(note)
        collector.stop()


def test_stop_gives_back_automatic_collection(qtbot: QtBot) -> None:
    was = gc.isenabled()
    collector = GuiThreadCollector()
    collector.start()
    assert not gc.isenabled()
    collector.stop()
    assert gc.isenabled() == was


def test_nothing_is_collected_below_the_thresholds(qtbot: QtBot) -> None:
    collector = GuiThreadCollector()
    gc.collect()
    assert collector.collect_if_due() is None


def test_held_until_the_start_up_heap_is_frozen(qtbot: QtBot) -> None:
    """While the app starts, nothing is collected (start-up's objects live for the whole run);
    once the session freezes them (gc.freeze()), collection goes on as the thresholds say.
    Asked directly: the event loop does not run here, so no other collector does either."""
    collector = GuiThreadCollector()
    gc.unfreeze()
    collector.hold_until_frozen()
    collector.start()  # automatic collection off
    try:
        made = [_Cycle() for _ in range(50_000)]  # far past the first threshold
        assert gc.get_count()[0] > gc.get_threshold()[0]
        assert collector.collect_if_due() is None
        freeze_heap()  # what the session does once the main window is built
        del made
        [_Cycle() for _ in range(5_000)]
        assert collector.collect_if_due() is not None
    finally:
        collector.stop()
        gc.unfreeze()


def test_held_no_longer_than_its_limit(qtbot: QtBot) -> None:
    collector = GuiThreadCollector()
    gc.unfreeze()
    collector.hold_until_frozen(limit_s=0.0)
    collector.start()
    try:
        [_Cycle() for _ in range(5_000)]
        assert collector.collect_if_due() is not None
    finally:
        collector.stop()
