# SPDX-License-Identifier: MIT
"""Language server latency: from the last keystroke (didChange) to its publishDiagnostics.

    PYTHONPATH=src python3 benchmarks/lsp_latency.py [--rounds 20]

Starts `python -m spec_check lsp` and drives it over stdio with pygls' own client,
as an editor would. For each folder (the 008 example, with the editor opened on that
folder and on the whole repository; a spec-kit Markdown folder; one folder of ~10,000
triples made by benchmarks/generate.py) it opens plan.ttl (tasks.md), waits for the
first check and a few seconds more (the server indexes the workspace's other spec
folders in the background at start), then sends ROUNDS changes, alternating a broken
reference and its fix, and measures the time from sending each change to receiving the
diagnostics for that document version. Each change is sent only after the previous answer, so every
change is a "last keystroke". Both server settings are measured side by side:
the default quiet time (debounce 0.1 s, what editors get) and debounce 0, which
is the check alone. Prints a Markdown table (median, 90th percentile, max in ms).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "specs" / "008-build-optimization-complete"


SETTLE = 5.0  # seconds between the first check and the first change: start-up indexing is done


async def measure(folder: Path, file: str, root: Path, debounce: float, rounds: int,
                  break_text: tuple[str, str]) -> list[float]:
    client = LanguageClient("lsp-latency", "1")
    published: dict[tuple[str, int | None], float] = {}
    arrived = asyncio.Event()

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: lsp.PublishDiagnosticsParams):
        published[(params.uri, params.version)] = time.perf_counter()
        arrived.set()

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")]))}
    await client.start_io(sys.executable, "-m", "spec_check", "lsp", env=env)
    await client.initialize_async(lsp.InitializeParams(
        capabilities=lsp.ClientCapabilities(), root_uri=root.as_uri(),
        initialization_options={"debounce": debounce}))
    client.initialized(lsp.InitializedParams())
    plan = folder / file
    uri = plan.as_uri()
    text = plan.read_text(encoding="utf-8")
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=uri, language_id="markdown" if file.endswith(".md") else "turtle", version=1, text=text)))
    await wait_for(published, arrived, (uri, 1))
    await asyncio.sleep(SETTLE)
    old, new = break_text
    assert text.count(old) >= 1, old
    timings = []
    for version in range(2, rounds + 2):
        body = text.replace(old, new, 1) if version % 2 == 0 else text
        sent = time.perf_counter()
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=body)]))
        await wait_for(published, arrived, (uri, version))
        timings.append((published[(uri, version)] - sent) * 1000)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return timings


async def wait_for(published: dict, arrived: asyncio.Event, key) -> None:
    deadline = time.perf_counter() + 300
    while key not in published:
        arrived.clear()
        try:
            await asyncio.wait_for(arrived.wait(), timeout=max(deadline - time.perf_counter(), 0.01))
        except asyncio.TimeoutError:
            raise SystemExit(f"no diagnostics for {key} within 300 s") from None


def generated_folder(root: Path) -> tuple[Path, int]:
    """One folder of ~10,000 triples from benchmarks/generate.py (same seed, same bytes)."""
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), str(root), "--triples", "10000",
                    "--folders", "1", "--seed", "7"], check=True, capture_output=True)
    [folder] = sorted((root / "specs").iterdir())
    import json

    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return folder, manifest.get("triples", 0)


def check_alone(folder: Path, file: str, rounds: int, break_text: tuple[str, str]) -> float:
    """Median ms of SpecCheck.check on the same buffers, in this process (what the server calls)."""
    from spec_check.api import SpecCheck

    checker = SpecCheck()
    plan = (folder / file).absolute()
    text = plan.read_text(encoding="utf-8")
    checker.check([folder])  # rules, ontology and dialects read once, as the server keeps them
    timings = []
    for i in range(rounds):
        body = text.replace(*break_text, 1) if i % 2 == 0 else text
        started = time.perf_counter()
        checker.with_unsaved(((plan, body),)).check([folder])
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def summary(timings: list[float]) -> str:
    ordered = sorted(timings)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return f"{statistics.median(ordered):.0f} | {p90:.0f} | {max(ordered):.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="changes per folder and setting")
    args = parser.parse_args(argv)
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        big, triples = generated_folder(Path(tmp) / "corpus")
        speckit = Path(tmp) / "speckit" / "001-photo-albums"  # the name its spec.md gives: closed
        shutil.copytree(REPO / "tests" / "speckit" / "base", speckit)
        from spec_check.load.discover import discover

        spec_folders = len(discover([REPO]))
        broken_reference = ("spec:dependsOn :T001 ;", "spec:dependsOn :t001 ;")
        cases = [
            ("008 example (1,632 triples)", EXAMPLE, "plan.ttl", EXAMPLE, broken_reference),
            (f"008 example, editor opened on the repository ({spec_folders} spec folders)", EXAMPLE, "plan.ttl",
             REPO, broken_reference),
            ("spec-kit folder (tests/speckit/base, tasks.md)", speckit, "tasks.md", speckit,
             ("- [ ] T006 [US2]", "- [ ] T006 [US3]")),
            (f"generated folder ({triples:,} triples)", big, "plan.ttl", big, ("spec:implements", "spec:implementz")),
        ]
        print("| folder | debounce (s) | median (ms) | p90 (ms) | max (ms) | `SpecCheck.check` alone, median (ms) |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, folder, file, root, change in cases:
            for debounce in (0.1, 0.0):
                timings = asyncio.run(measure(folder, file, root, debounce, args.rounds, change))
                alone = check_alone(folder, file, args.rounds, change)
                print(f"| {name} | {debounce:g} | {summary(timings)} | {alone:.0f} |", flush=True)
    print(f"\n{args.rounds} changes each; load average {load_at_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end ({os.cpu_count()} cores), "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.")
    print("The last column runs in this process right after the server's rounds, on the same buffers.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
