"""``python -m tools.reference build|start|record|compare|openapi``: the real kube-apiserver as the reference.

    build     build kube-apiserver and etcd for --kubernetes into the cache (once; reused)
    start     start them, write a kubeconfig, wait for Ctrl-C
    record    run every scenario against the reference; write tests/conformance/recordings/
    compare   run scenarios against the reference and fakekube live; print the differences
    openapi   save the reference's /openapi/v2 (for python -m schemas.generate) outside the repository
    known     replay the known differences; --prune removes those fakekube now agrees on
"""

from __future__ import annotations

import argparse
import fnmatch
import gzip
import json
import signal
import sys
import time

from tools.reference.build import DEFAULT_KUBERNETES, build, cache_root
from tools.reference.launch import Reference
from tools.reference.scenarios import RECORDING_DIR, Scenario, Target, dumps, load_all, recording_path, run


def _pick(scenarios: list[Scenario], patterns: list[str]) -> list[Scenario]:
    if not patterns:
        return scenarios
    return [s for s in scenarios if any(fnmatch.fnmatch(s.name, p) or fnmatch.fnmatch(s.topic, p)
                                        for p in patterns)]


def cmd_build(args: argparse.Namespace) -> int:
    started = time.monotonic()
    binaries = build(args.kubernetes)
    size = sum(p.stat().st_size for p in (cache_root() / args.kubernetes).rglob("*") if p.is_file())
    print(f"{binaries.kube_apiserver}\n{binaries.etcd}\nready in {time.monotonic() - started:.0f} s; "
          f"cache {cache_root() / args.kubernetes}: {size / 1e6:.0f} MB (Go's module and build caches not counted)")
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    with Reference(args.kubernetes) as ref:
        print(f"kube-apiserver {args.kubernetes} at {ref.url}, ready in {ref.start_seconds:.2f} s\n"
              f"KUBECONFIG={ref.kubeconfig_path}", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


def _reference_target(ref: Reference) -> Target:
    return Target(ref.url, ref.ssl_context())


def cmd_record(args: argparse.Namespace) -> int:
    scenarios = _pick(load_all(), args.only)
    by_topic: dict[str, dict[str, object]] = {}
    with Reference(args.kubernetes) as ref:
        target = _reference_target(ref)
        for s in scenarios:
            by_topic.setdefault(s.topic, {})[s.name] = run(s, target)
    RECORDING_DIR.mkdir(parents=True, exist_ok=True)
    for topic, answers in by_topic.items():
        path = recording_path(topic)
        kept: dict[str, object] = json.loads(path.read_text())["scenarios"] if path.exists() and args.only else {}
        kept.update(answers)
        names = {s.name for s in load_all() if s.topic == topic}
        kept = {k: v for k, v in sorted(kept.items()) if k in names}
        path.write_text(dumps({"kubernetes": args.kubernetes, "scenarios": kept}) + "\n")
        print(f"{path.relative_to(RECORDING_DIR.parents[2])}: {len(answers)} scenarios recorded")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from tools.reference.replay import difference, run_on_fakekube

    scenarios = _pick(load_all(), args.only)
    differing = 0
    with Reference(args.kubernetes) as ref:
        target = _reference_target(ref)
        for s in scenarios:
            expected = run(s, target)
            diff = difference(expected, run_on_fakekube(s))
            if diff:
                differing += 1
                print(f"--- {s.name} ({s.topic}) ---\n{diff}")
    print(f"{differing} of {len(scenarios)} scenarios differ")
    return 1 if differing else 0


# Upstream's hack/update-openapi-spec.sh starts kube-apiserver with every API and feature on, so that the
# document describes every version the release can serve; it also turns OpenAPIEnums off, which the
# documents fakekube generates from keep on (the committed schemas carry the enums).
OPENAPI_SERVER_ARGS = ("--feature-gates=AllAlpha=true,AllBeta=true", "--runtime-config=api/all=true",
                       "--enable-logs-handler=true")


def cmd_openapi(args: argparse.Namespace) -> int:
    out_dir = cache_root() / args.kubernetes
    with Reference(args.kubernetes, extra_args=OPENAPI_SERVER_ARGS) as ref:
        target = _reference_target(ref)
        answer = target.request("GET", "/openapi/v2", {}, {"Accept": "application/json"}, None)
    document = json.loads(answer.body)
    document["info"]["version"] = "unversioned"  # as update-openapi-spec.sh writes api/openapi-spec/swagger.json
    minor = ".".join(args.kubernetes.split(".")[:2])
    path = out_dir / f"kubernetes-{minor}-swagger.json.gz"
    path.write_bytes(gzip.compress(json.dumps(document, sort_keys=True, indent=2).encode() + b"\n"))
    print(path)
    return 0


KNOWN_DIR = RECORDING_DIR.parent / "known_differences"


def cmd_known(args: argparse.Namespace) -> int:
    import yaml

    from tools.reference.replay import difference, run_on_fakekube
    from tools.reference.scenarios import load_recordings

    scenarios = {s.name: s for s in load_all()}
    recorded = load_recordings()
    versions = {}
    for path in sorted(RECORDING_DIR.glob("*.json")):
        data = json.loads(path.read_text())
        versions.update(dict.fromkeys(data["scenarios"], data["kubernetes"]))
    total = agreeing = 0
    for path in sorted(KNOWN_DIR.glob("*.yaml")):
        known: dict[str, str] = yaml.safe_load(path.read_text()) or {}
        kept = {}
        for name, reason in known.items():
            total += 1
            scenario = scenarios.get(name)
            if scenario is None or name not in recorded:
                print(f"{path.name}: {name}: no such scenario or recording")
                continue
            if difference(recorded[name], run_on_fakekube(scenario, versions[name])):
                kept[name] = reason
            else:
                agreeing += 1
                print(f"{path.name}: {name} now agrees with kube-apiserver")
        if args.prune and kept != known:
            if kept:
                path.write_text(yaml.safe_dump(kept, sort_keys=True, width=120, allow_unicode=True))
            else:
                path.unlink()
    print(f"{total} known differences, {agreeing} of them now agree" + (" (pruned)" if args.prune else ""))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.reference", description=__doc__.split("\n\n")[0])
    parser.add_argument("--kubernetes", default=DEFAULT_KUBERNETES, help=f"release (default {DEFAULT_KUBERNETES})")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build").set_defaults(func=cmd_build)
    commands.add_parser("start").set_defaults(func=cmd_start)
    for name, func in (("record", cmd_record), ("compare", cmd_compare)):
        sub = commands.add_parser(name)
        sub.add_argument("only", nargs="*", help="scenario names or topics (glob patterns)")
        sub.set_defaults(func=func)
    commands.add_parser("openapi").set_defaults(func=cmd_openapi)
    known = commands.add_parser("known")
    known.add_argument("--prune", action="store_true", help="remove the entries fakekube now agrees on")
    known.set_defaults(func=cmd_known)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
