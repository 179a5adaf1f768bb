# SPDX-License-Identifier: MIT
"""The language server's lexical index (spec_check.lsp.terms) on texts that trip simple scanners."""

from __future__ import annotations

from spec_check.lsp.terms import Lines, scan

NS = "https://example.org/s#"


def test_subjects_prefixes_and_terms_of_a_plain_text():
    text = f"""@prefix : <{NS}> .
PREFIX spec: <https://ggen.dev/spec#>
# :NotATerm in a comment, <{NS}Nor> this
:T1 a spec:Task ;
    spec:label ":NotATerm in a string" , '''long
:NotATerm either''' ;
    spec:dependsOn [ spec:about :Inner ] , ( :L1 :L2 ) .
[ spec:about :InBlank ] spec:x :Y .
<{NS}T2> spec:dependsOn :T1 .
"""
    doc = scan(text, "file:///x/f.ttl")
    assert doc.prefixes == {"": NS, "spec": "https://ggen.dev/spec#"}
    names = [t.text for t in doc.terms]
    assert ":NotATerm" not in names and f"<{NS}Nor>" not in names
    assert [t.text for t in doc.terms if t.subject] == [":T1", f"<{NS}T2>"]  # not :Inner, :L1 or a [ ] subject
    assert {t.iri for t in doc.terms if t.text in (":T1", f"<{NS}T2>")} == {NS + "T1", NS + "T2"}
    assert next(t for t in doc.terms if t.text == "a").iri == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert len(doc.statements) == 3
    t1 = doc.terms_from(text.index(":T1 a"))[0]
    assert doc.term_at(t1.start) is t1 and doc.term_at(t1.end) is t1  # a cursor right after a word
    start, end = doc.statement_of(t1)
    assert text[start:end].startswith(":T1 a") and text[start:end].endswith("( :L1 :L2 ) .")


def test_an_undeclared_prefix_and_a_relative_iri():
    doc = scan(":A foo:b <#c> .", "file:///dir/f.ttl")
    by_text = {t.text: t for t in doc.terms}
    assert by_text["foo:b"].iri is None  # the quick fix "declare prefix" looks for these
    assert by_text["<#c>"].iri == "file:///dir/f.ttl#c"


def test_garbage_never_fails():
    for text in ["\x00\r\n@@@ ^^ ]]]] )))) .", '"unterminated', "<unterminated", ":a :b \"x\"@", "\ufeff", ""]:
        doc = scan(text * 3)
        assert all(0 <= t.start < t.end <= len(text) * 3 for t in doc.terms)


def test_lines_map_offsets_and_positions_both_ways():
    text = "ab\n\ncdé\nlast"
    lines = Lines(text)
    for offset in range(len(text) + 1):
        assert lines.offset(*lines.position(offset)) == offset
    assert lines.position(text.index("é")) == (2, 2)
    assert lines.offset(99, 0) == len(text) and lines.offset(1, 99) == 3  # clamped to the line


def test_positions_count_in_the_clients_units():
    text = 'x "🚀é" :T\n'
    at = text.index(":T")
    assert Lines(text, "utf-32").position(at) == (0, 7)
    assert Lines(text, "utf-16").position(at) == (0, 8)  # the rocket is two UTF-16 units
    assert Lines(text, "utf-8").position(at) == (0, 11)  # four bytes and two bytes
    for encoding in ("utf-8", "utf-16", "utf-32"):
        lines = Lines(text, encoding)
        assert lines.offset(*lines.position(at)) == at
        assert lines.code_point_offset(0, 7) == at  # findings count code points whatever the client does
