"""The versioned store on its own: revisions, conflicts, history, snapshots, change feed."""

from __future__ import annotations

import orjson
import pytest

from fakekube.storage.store import ConflictError, KeyExistsError, KeyNotFoundError, Store, TooOldError


def obj(name: str, **extra: object) -> dict:
    return {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": name, "namespace": "ns"}, **extra}


def test_every_write_takes_the_next_global_revision_and_stamps_it():
    store = Store()
    a = orjson.loads(store.create("configmaps", ("ns", "a"), obj("a")))
    b = orjson.loads(store.create("secrets", ("ns", "b"), obj("b")))
    assert int(b["metadata"]["resourceVersion"]) == int(a["metadata"]["resourceVersion"]) + 1
    assert store.revision == int(b["metadata"]["resourceVersion"])


def test_create_of_an_existing_key_fails_and_changes_nothing():
    store = Store()
    store.create("configmaps", ("ns", "a"), obj("a"))
    revision = store.revision
    with pytest.raises(KeyExistsError):
        store.create("configmaps", ("ns", "a"), obj("a"))
    assert store.revision == revision


def test_update_with_a_stale_revision_conflicts():
    store = Store()
    store.create("configmaps", ("ns", "a"), obj("a"))
    first = store.object_revision("configmaps", ("ns", "a"))
    store.update("configmaps", ("ns", "a"), obj("a", data={"x": "1"}), expected_revision=first)
    with pytest.raises(ConflictError):
        store.update("configmaps", ("ns", "a"), obj("a", data={"x": "2"}), expected_revision=first)
    with pytest.raises(KeyNotFoundError):
        store.update("configmaps", ("ns", "missing"), obj("missing"))


def test_delete_returns_the_last_state_at_the_delete_revision():
    store = Store()
    store.create("configmaps", ("ns", "a"), obj("a"))
    deleted = orjson.loads(store.delete("configmaps", ("ns", "a")))
    assert deleted["metadata"]["resourceVersion"] == str(store.revision)
    assert store.get("configmaps", ("ns", "a")) is None


def test_iteration_is_ordered_by_namespace_then_name_and_can_start_after_a_key():
    store = Store()
    for key in [("b", "2"), ("a", "9"), ("b", "1"), ("a", "10")]:
        store.create("t", key, {"metadata": {"name": key[1]}})
    assert [k for k, _ in store.iter_table("t")] == [("a", "10"), ("a", "9"), ("b", "1"), ("b", "2")]
    assert [k for k, _ in store.iter_table("t", namespace="b")] == [("b", "1"), ("b", "2")]
    assert [k for k, _ in store.iter_table("t", start_after=("a", "9"))] == [("b", "1"), ("b", "2")]


def test_snapshot_rebuilds_a_past_revision():
    store = Store()
    store.create("t", ("", "a"), {"metadata": {"name": "a"}, "v": 1})
    store.create("t", ("", "b"), {"metadata": {"name": "b"}})
    past = store.revision
    store.update("t", ("", "a"), {"metadata": {"name": "a"}, "v": 2})
    store.delete("t", ("", "b"))
    store.create("t", ("", "c"), {"metadata": {"name": "c"}})
    then = list(store.snapshot("t", past))
    assert [k for k, _ in then] == [("", "a"), ("", "b")]
    assert orjson.loads(then[0][1])["v"] == 1


def test_history_is_bounded_and_older_revisions_are_too_old():
    store = Store(history_size=3)
    for i in range(6):
        store.create("t", ("", str(i)), {"metadata": {"name": str(i)}})
    with pytest.raises(TooOldError):
        store.history_since(2, "t")
    with pytest.raises(TooOldError):
        store.snapshot("t", 2)
    assert [e.key[1] for e in store.history_since(store.revision - 2, "t")] == ["4", "5"]


def test_history_expires_by_age():
    now = [1000.0]
    store = Store(history_age=10, clock=lambda: now[0])
    store.create("t", ("", "old"), {"metadata": {"name": "old"}})
    now[0] += 11
    store.create("t", ("", "new"), {"metadata": {"name": "new"}})
    with pytest.raises(TooOldError):
        store.history_since(1, "t")


def test_subscribers_see_every_change_of_their_table_in_order():
    store = Store()
    seen: list[tuple[str, str]] = []
    unsubscribe = store.subscribe("t", lambda e: seen.append((e.type, e.key[1])))
    store.create("t", ("", "a"), {"metadata": {"name": "a"}})
    store.create("other", ("", "x"), {"metadata": {"name": "x"}})
    store.update("t", ("", "a"), {"metadata": {"name": "a"}, "v": 1})
    store.delete("t", ("", "a"))
    unsubscribe()
    store.create("t", ("", "b"), {"metadata": {"name": "b"}})
    assert seen == [("ADDED", "a"), ("MODIFIED", "a"), ("DELETED", "a")]


def test_two_stores_share_nothing():
    one, two = Store(), Store()
    one.create("t", ("", "a"), {"metadata": {"name": "a"}})
    assert two.get("t", ("", "a")) is None and two.revision == 1


def test_count_after_counts_by_namespace_without_scanning():
    store = Store()
    for key in [("a", "1"), ("a", "2"), ("a", "3"), ("b", "1"), ("c", "1")]:
        store.create("t", key, {"metadata": {"name": key[1]}})
    assert store.count_after("t", "a", ("a", "1")) == 2
    assert store.count_after("t", None, ("a", "1")) == 4
    assert store.count_after("t", "b", ("b", "1")) == 0


def test_the_label_index_follows_writes():
    store = Store()
    store.create("t", ("", "a"), {"metadata": {"name": "a", "labels": {"x": "1"}}})
    assert store.labels("t", ("", "a")) == {"x": "1"}
    store.update("t", ("", "a"), {"metadata": {"name": "a"}})
    assert store.labels("t", ("", "a")) == {}
    store.delete("t", ("", "a"))
    assert store.labels("t", ("", "a")) == {}


def test_stored_bytes_are_exactly_the_json():
    import tracemalloc

    store = Store()
    body = {"metadata": {"name": "a"}, "data": {"k": "v" * 1500}}
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [store.create("t", ("", str(i)), {**body, "metadata": {"name": str(i)}}) for i in range(200)]
        per_object = (tracemalloc.get_traced_memory()[0] - before) / len(kept)
    finally:
        tracemalloc.stop()
    assert per_object < 2 * len(kept[0])  # no spare serializer buffer capacity kept per object


def test_snapshots_match_the_recorded_past_after_random_writes():
    import random

    rng = random.Random(7)
    store = Store(history_size=10_000)
    states: dict[int, dict] = {store.revision: {}}
    current: dict = {}
    keys = [(ns, name) for ns in ("a", "b", "c") for name in "pqrst"]
    for _ in range(300):
        key = rng.choice(keys)
        if key in current and rng.random() < 0.3:
            store.delete("t", key)
            del current[key]
        elif key in current:
            current[key] = store.update("t", key, {"metadata": {"name": key[1]}, "n": rng.random()})
        else:
            current[key] = store.create("t", key, {"metadata": {"name": key[1]}})
        states[store.revision] = dict(current)
    for revision in rng.sample(sorted(states), 40):
        past = states[revision]
        for namespace in (None, "b"):
            for start_after in (None, ("a", "r"), ("b", "q")):
                expected = sorted((k, v) for k, v in past.items()
                                  if (namespace is None or k[0] == namespace)
                                  and (start_after is None or k > start_after))
                got = list(store.snapshot("t", revision, namespace, start_after))
                assert [k for k, _ in got] == [k for k, _ in expected], (revision, namespace, start_after)
                assert [orjson.loads(v).get("n") for _, v in got] == [orjson.loads(v).get("n") for _, v in expected]
