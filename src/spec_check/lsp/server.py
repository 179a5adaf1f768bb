# SPDX-License-Identifier: MIT
"""`spec-check lsp`: the language server (pygls 2, stdio).

The protocol side only: which folder a document belongs to, when to check it
(on open and save at once, on change after a short quiet time), and handing
requests to features.py and actions.py. A folder is checked in a worker thread,
so a huge file never stops the server answering; two checks of one folder never
run at the same time, and the last one wins.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..api import CheckOptions, SpecCheck
from ..errors import SpecCheckError
from ..load.discover import display_path
from . import actions, features
from ..project import RULES_URL as RULE_DOCS_URL
from .analysis import FolderAnalysis, analyse, is_spec_file, spec_folder_of
from .terms import Lines

# Quiet time after the last change before a folder is checked again (seconds);
# initializationOptions.debounce overrides it.
DEBOUNCE = 0.1
# How long the walk of the workspace for spec folders, and the other folders' lexical indexes,
# are used before they are refreshed, in the background (seconds). A file change the client
# reports (didChangeWatchedFiles) refreshes at once what it touches.
FOLDERS_KEPT = 30.0
log = logging.getLogger(__name__)


class SpecServer(LanguageServer):
    def __init__(self):
        super().__init__("spec-check", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.debounce = DEBOUNCE
        self.docs_url = RULE_DOCS_URL
        self.analyses: dict[Path, FolderAnalysis] = {}
        self.published: dict[Path, set[Path]] = {}  # folder -> files it last published diagnostics for
        self.timers: dict[Path, asyncio.TimerHandle] = {}
        self.running: dict[Path, asyncio.Future] = {}
        self.locks: dict[Path, asyncio.Lock] = {}
        self.generation: dict[Path, int] = {}  # checks started per folder; only the latest runs
        self.checkers: dict[tuple | None, SpecCheck] = {}  # by config file and its mtime
        self.spec_folders: tuple[float, list[Path]] = (float("-inf"), [])  # (when walked, folders)
        self.disk_indexes: dict[Path, tuple] = {}  # folders nobody opened: (files' stat key, index)
        self.uris: dict[Path, str] = {}  # the client's own URI for each document it opened
        self.refreshing = False  # a background walk of the workspace is running
        # Two workers: one folder's long check never queues another folder's.
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="spec-check")

    # -- documents and folders ---------------------------------------------------

    def path_of(self, uri: str) -> Path | None:
        if not uri.startswith("file:"):
            return None
        fs = to_fs_path(uri)
        return Path(fs).absolute() if fs else None

    def uri_of(self, path: Path) -> str:
        return self.uris.get(path) or path.as_uri()

    def text_of(self, path: Path) -> str | None:
        """The open buffer's text, or None when the file is not open."""
        uri = self.uris.get(path)
        if uri is None or uri not in self.workspace.text_documents:
            return None
        return self.workspace.get_text_document(uri).source

    def current(self, path: Path) -> str:
        text = self.text_of(path)
        if text is not None:
            return text
        try:
            return path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return ""

    def unsaved(self) -> dict[Path, str]:
        """Every open buffer (the loader takes those of the folders it reads)."""
        out = {}
        for path in list(self.uris):
            text = self.text_of(path)
            if text is not None:
                out[path] = text
        return out

    def checker_for(self, folder: Path) -> SpecCheck:
        """One checker per config file (found from the folder upwards, as `check` finds it from
        the working folder): its rules, ontology and dialects are read once."""
        from ..config import find_config

        try:
            config = find_config(folder)
            key = (config, config.stat().st_mtime_ns) if config is not None else None  # an edited config counts
        except (SpecCheckError, OSError):
            config = key = None
        if key not in self.checkers:
            self.checkers[key] = SpecCheck(self._options(config))
        return self.checkers[key]

    def _options(self, config: Path | None) -> CheckOptions:
        if config is None:
            return CheckOptions()
        from ..settings import resolve_settings

        try:
            # The same merge as every command; the baseline too, so the editor shows what `check` shows.
            options = resolve_settings(config_file=config).options
        except SpecCheckError as e:
            self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error,
                                                           message=f"spec-check: {e}; using the defaults"))
            return CheckOptions()
        return options

    # -- checking ----------------------------------------------------------------

    def schedule(self, folder: Path, delay: float) -> None:
        timer = self.timers.pop(folder, None)
        if timer is not None:
            timer.cancel()
        loop = asyncio.get_running_loop()
        self.timers[folder] = loop.call_later(delay, lambda: self._start(folder))

    def _start(self, folder: Path) -> asyncio.Future:
        self.timers.pop(folder, None)
        self.generation[folder] = generation = self.generation.get(folder, 0) + 1
        future = asyncio.ensure_future(self.check(folder, generation))
        self.running[folder] = future
        return future

    async def check(self, folder: Path, generation: int) -> FolderAnalysis:
        lock = self.locks.setdefault(folder, asyncio.Lock())
        async with lock:
            if generation == self.generation[folder]:
                checker = self.checker_for(folder)
                unsaved = self.unsaved()
                loop = asyncio.get_running_loop()
                analysis, diagnostics = await loop.run_in_executor(self.pool, self._analyse, checker, folder, unsaved)
                self.analyses[folder] = analysis
                self.publish(folder, diagnostics)
                return analysis
        # A newer check of this folder was started while this one waited: that one answers.
        return await self.running[folder]

    def _analyse(self, checker: SpecCheck, folder: Path, unsaved: dict[Path, str]):
        """In a worker thread: the check, then its diagnostics (a 10 MB buffer takes a while to index)."""
        analysis = analyse(checker, folder, unsaved, self.encoding(), also=self._describers)
        return analysis, self._diagnostics(analysis)

    def _describers(self, analysis: FolderAnalysis) -> list[Path]:
        """The workspace's other spec folders that describe an IRI this folder uses: checked in the
        same run, so such a reference resolves as it does in `spec-check specs/`."""
        others = self.other_folders(analysis.folder)
        if not others or not analysis.used:
            return []
        return [o for o in others
                if (self.analyses.get(o) or _disk_index(self, o, revalidate=False)).described & analysis.used]

    def encoding(self) -> str:
        """The position encoding negotiated at initialize (pygls picks it from the client's offer)."""
        try:
            return str(getattr(self.workspace.position_encoding, "value", self.workspace.position_encoding) or "utf-16")
        except RuntimeError:  # no workspace before initialize
            return "utf-16"

    def _diagnostics(self, analysis: FolderAnalysis) -> dict[Path, list[lsp.Diagnostic]]:
        out = {p: features.diagnostics_for(analysis, p, self.docs_url) for p in analysis.files}
        if analysis.error is not None and analysis.files:
            first = next((p for p in analysis.files if p.name in ("feature.ttl", "spec.md")), analysis.files[0])
            out[first] = [features.error_diagnostic(analysis.error)] + out[first]
        return out

    def publish(self, folder: Path, diagnostics: dict[Path, list[lsp.Diagnostic]]) -> None:
        before = self.published.get(folder, set())
        for path in sorted(before - set(diagnostics)):  # a file gone from the folder: clear it
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=self.uri_of(path), diagnostics=[]))
        for path, found in sorted(diagnostics.items()):
            if found or path in before or self.text_of(path) is not None:
                self.text_document_publish_diagnostics(
                    lsp.PublishDiagnosticsParams(uri=self.uri_of(path), diagnostics=found,
                                                 version=self._version(path)))
        self.published[folder] = {p for p, found in diagnostics.items() if found}

    def _version(self, path: Path) -> int | None:
        uri = self.uris.get(path)
        if uri is None or uri not in self.workspace.text_documents:
            return None
        return self.workspace.get_text_document(uri).version

    async def analysis_for(self, uri: str) -> tuple[FolderAnalysis, Path] | None:
        """The latest analysis of the document's folder (waiting for the first one)."""
        path = self.path_of(uri)
        folder = spec_folder_of(path) if path is not None else None
        if folder is None:
            return None
        analysis = self.analyses.get(folder)
        if analysis is None:
            running = self.running.get(folder)
            analysis = await (running if running is not None and not running.done() else self._start(folder))
        if path not in analysis.files:
            return None
        return analysis, path

    # -- the workspace's other spec folders (cross-folder navigation) --------------

    def workspace_folders(self) -> list[Path]:
        roots = []
        for folder in (self.workspace.folders or {}).values():
            p = self.path_of(folder.uri)
            if p is not None and p.is_dir():
                roots.append(p)
        if not roots and self.workspace.root_uri:
            p = self.path_of(self.workspace.root_uri)
            if p is not None and p.is_dir():
                roots.append(p)
        return roots

    def other_folders(self, folder: Path) -> list[Path]:
        """The workspace's spec folders but ``folder``.

        The first call walks the workspace; later ones use that walk and, once it is older
        than FOLDERS_KEPT, start a new one in the background: on a check's path (every
        keystroke) the walk of a large repository (0.5 s for 155 folders) is never paid again.
        """
        import time

        stamp, found = self.spec_folders
        if stamp == float("-inf"):
            found = self._walk()
        elif time.monotonic() - stamp > FOLDERS_KEPT and not self.refreshing:
            self.refreshing = True
            self.pool.submit(self._refresh)
        return [f for f in found if f != folder]

    def _walk(self) -> list[Path]:
        import time

        from ..load.discover import discover

        found = []
        for root in self.workspace_folders():
            try:
                found += [f.path.absolute() for f in discover([root])]
            except SpecCheckError:
                continue
        found = sorted(set(found))
        self.spec_folders = (time.monotonic(), found)
        return found

    def _refresh(self) -> None:
        """In a worker: walk the workspace again and re-read the indexes of folders changed on disk."""
        try:
            for folder in self._walk():
                if folder not in self.analyses:
                    _disk_index(self, folder, revalidate=True).described  # noqa: B018 (built here, not while typing)
        except Exception:  # a background refresh must never take the server down; the next one retries
            log.exception("refreshing the workspace's spec folders")
        finally:
            self.refreshing = False


def _offset(analysis: FolderAnalysis, path: Path, position: lsp.Position) -> int:
    return analysis.lines_of(path).offset(position.line, position.character)


def build_server() -> SpecServer:
    server = SpecServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: SpecServer, params: lsp.InitializeParams):
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        if isinstance(options.get("debounce"), (int, float)) and 0 <= options["debounce"] <= 10:
            ls.debounce = float(options["debounce"])
        if isinstance(options.get("ruleDocumentationUrl"), str) and options["ruleDocumentationUrl"].startswith("http"):
            ls.docs_url = options["ruleDocumentationUrl"]

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: SpecServer, params: lsp.InitializedParams):
        # Files changed on disk (a checkout, a generator) re-check their folder: ask the client to
        # watch RDF files and Markdown (spec-kit folders), where it can be asked.
        # The workspace's other spec folders, indexed in the background before the first keystroke
        # needs them (a reference into another folder resolves as in `spec-check specs/`).
        ls.refreshing = True
        ls.pool.submit(ls._refresh)
        caps = ls.client_capabilities.workspace
        watched = caps.did_change_watched_files if caps is not None else None
        if watched is not None and watched.dynamic_registration:
            from ..load.formats import FORMATS

            pattern = "**/*.{" + ",".join(sorted([e.lstrip(".") for e in FORMATS] + ["md"])) + "}"
            ls.client_register_capability(lsp.RegistrationParams(registrations=[lsp.Registration(
                id="spec-check-watch", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                    watchers=[lsp.FileSystemWatcher(glob_pattern=pattern)]))]))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files_changed(ls: SpecServer, params: lsp.DidChangeWatchedFilesParams):
        for change in params.changes:
            path = ls.path_of(change.uri)
            folder = spec_folder_of(path) if path is not None else None
            if change.type != lsp.FileChangeType.Changed:  # a file (or folder) came or went: walk again
                ls.spec_folders = (float("-inf"), ls.spec_folders[1])
            if folder is None:
                continue
            ls.disk_indexes.pop(folder, None)  # its lexical index is read again when next needed
            if folder in ls.analyses:  # only folders the editor shows are checked
                ls.schedule(folder, ls.debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SpecServer, params: lsp.DidOpenTextDocumentParams):
        _opened(ls, params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SpecServer, params: lsp.DidChangeTextDocumentParams):
        _opened(ls, params.text_document.uri, ls.debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: SpecServer, params: lsp.DidSaveTextDocumentParams):
        _opened(ls, params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: SpecServer, params: lsp.DidCloseTextDocumentParams):
        path = ls.path_of(params.text_document.uri)
        folder = spec_folder_of(path) if path is not None else None
        if path is not None:
            ls.uris.pop(path, None)
        if folder is not None:
            ls.schedule(folder, 0)  # the file on disk counts again

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    async def definition(ls: SpecServer, params: lsp.DefinitionParams):
        return await _locations(ls, params.text_document.uri, params.position, definitions=True)

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    async def references(ls: SpecServer, params: lsp.ReferenceParams):
        return await _locations(ls, params.text_document.uri, params.position, definitions=False,
                                include_declaration=params.context.include_declaration)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(ls: SpecServer, params: lsp.HoverParams):
        found = await ls.analysis_for(params.text_document.uri)
        if found is None:
            return None
        analysis, path = found
        if ls.current(path) != analysis.texts.get(path):
            return None  # positions of an older text; the next check brings them
        offset = _offset(analysis, path, params.position)
        term = analysis.terms_of(path).term_at(offset)
        if term is None:
            return None
        loop = asyncio.get_running_loop()
        text = await loop.run_in_executor(None, features.hover_text, analysis, path, term, offset, display_path)
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
                         range=features.term_range(analysis, path, term))

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def document_symbol(ls: SpecServer, params: lsp.DocumentSymbolParams):
        return await _answer(ls, params.text_document.uri, [], features.document_symbols)

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[":"]))
    async def completion(ls: SpecServer, params: lsp.CompletionParams):
        def complete(analysis: FolderAnalysis, path: Path):
            text = ls.current(path)
            offset = Lines(text, analysis.encoding).offset(params.position.line, params.position.character)
            return features.completions(analysis, path, text, offset)

        return await _answer(ls, params.text_document.uri, lsp.CompletionList(is_incomplete=False, items=[]),
                             complete)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    async def code_action(ls: SpecServer, params: lsp.CodeActionParams):
        return await _answer(ls, params.text_document.uri, [], actions.code_actions, params.range,
                             list(params.context.diagnostics), ls.current, ls.uri_of)

    return server


async def _answer(ls: SpecServer, uri: str, empty, compute, *args):
    """``compute(analysis, path, *args)`` in a worker thread, or ``empty`` outside any spec folder."""
    found = await ls.analysis_for(uri)
    if found is None:
        return empty
    return await asyncio.get_running_loop().run_in_executor(None, compute, *found, *args)


def _opened(ls: SpecServer, uri: str, delay: float) -> None:
    path = ls.path_of(uri)
    if path is None or not is_spec_file(path):
        return
    ls.uris[path] = uri
    folder = spec_folder_of(path)
    if folder is not None:
        ls.schedule(folder, delay)


async def _locations(ls: SpecServer, uri: str, position: lsp.Position, definitions: bool,
                     include_declaration: bool = True) -> list[lsp.Location]:
    found = await ls.analysis_for(uri)
    if found is None:
        return []
    analysis, path = found
    if ls.current(path) != analysis.texts.get(path):
        return []
    term = analysis.terms_of(path).term_at(_offset(analysis, path, position))
    if term is None or term.iri is None:
        return []
    places = _places(analysis, term.iri, definitions, include_declaration)
    if not places or not definitions:
        # Across the workspace's other spec folders (read from disk, or open buffers).
        for other in ls.other_folders(analysis.folder):
            if definitions and places:
                break
            elsewhere = ls.analyses.get(other) or _disk_index(ls, other)
            places += _places(elsewhere, term.iri, definitions, include_declaration)
    return [features.location(a, p, t, ls.uri_of) for a, p, t in places]


def _places(analysis: FolderAnalysis, iri: str, definitions: bool, include_declaration: bool):
    found = analysis.definitions(iri) if definitions else analysis.references(iri)
    if not definitions and not include_declaration:
        found = [(p, t) for p, t in found if not t.subject]
    return [(analysis, p, t) for p, t in found]


def _disk_index(ls: SpecServer, folder: Path, revalidate: bool = True) -> FolderAnalysis:
    """A folder nobody opened, indexed for navigation only (not checked); kept while its files are
    unchanged. ``revalidate`` False: the kept index as it is (the background refresh and the
    client's file events keep it current), so a check does not stat every file of the workspace."""
    from ..load.discover import discover

    kept = ls.disk_indexes.get(folder)
    if kept is not None and not revalidate:
        return kept[1]
    try:
        files = tuple(sorted(p.absolute() for f in discover([folder]) for p in f.files))
        key = tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    except (SpecCheckError, OSError):
        files, key = (), ()
    if kept is not None and kept[0] == key:
        return kept[1]
    texts = {p: ls.current(p) for p in files}
    index = FolderAnalysis(folder=folder, files=files, texts=texts, result=None, error=None, rules={},
                           checker=ls.checker_for(folder), encoding=ls.encoding())
    ls.disk_indexes[folder] = (key, index)
    return index


def run() -> None:
    """Serve on stdin/stdout until the client says exit."""
    for name in ("rdflib", "pyshacl", "owlrl"):
        logging.getLogger(name).addHandler(logging.NullHandler())
    build_server().start_io()
