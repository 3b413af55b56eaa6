"""Label and field selector parsing, matching and error wording, checked against apimachinery v0.36."""

from __future__ import annotations

import pytest

from fakekube.go_text import go_quote
from fakekube.selectors import (
    FieldRequirement,
    FieldSelector,
    LabelSelector,
    Requirement,
    SelectorError,
    escape_field_value,
    field_selector_error_message,
    label_selector_error_message,
    new_requirement,
    parse_field_selector,
    parse_label_selector,
    parse_selectors,
)

KEY_RULE = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
    "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
VALUE_RULE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
    "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
SUBDOMAIN_RULE = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)


def label_error(text: str) -> str:
    with pytest.raises(SelectorError) as caught:
        parse_label_selector(text)
    return caught.value.message


def field_error(text: str) -> str:
    with pytest.raises(SelectorError) as caught:
        parse_field_selector(text)
    return caught.value.message


# --- label selectors: parsing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("", ""),
        ("   ", ""),
        ("x=a,y=b,z=c", "x=a,y=b,z=c"),
        ("z=c,x=a", "x=a,z=c"),
        ("x==a", "x==a"),
        ("x!=a,y=b", "x!=a,y=b"),
        ("x=", "x="),
        ("x= ,z= ", "x=,z="),
        ("x", "x"),
        ("!x", "!x"),
        ("x in (b,a,a)", "x in (a,b)"),
        ("x notin (a)", "x notin (a)"),
        ("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()"),
        ("x in (a,)", "x in (,a)"),
        ("x in (,a)", "x in (,a)"),
        ("  app  in  ( web , db )  ,  tier != front ", "app in (db,web),tier!=front"),
        ("x>1,z<5", "x>1,z<5"),
        ("example.com/role=db", "example.com/role=db"),
        ("notin=in", "notin=in"),
        ("x in (in,notin)", "x in (in,notin)"),
        ("a=b\t\r\n", "a=b"),
    ],
)
def test_valid_label_selectors_parse_to_upstreams_canonical_form(text: str, canonical: str) -> None:
    assert str(parse_label_selector(text)) == canonical


def test_parsed_requirements_are_sorted_by_key_with_sorted_unique_values() -> None:
    selector = parse_label_selector("b in (z,y,z),a")
    assert selector.requirements == (Requirement("a", "exists"), Requirement("b", "in", ("y", "z")))


def test_a_nul_byte_between_tokens_ends_the_selector_as_upstreams_byte_lexer_does() -> None:
    assert str(parse_label_selector("a=b \x00 this is ignored")) == "a=b"


def test_an_empty_label_selector_is_empty_and_a_nonempty_one_is_not() -> None:
    assert parse_label_selector("").empty
    assert not parse_label_selector("a").empty


# --- label selectors: matching -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        ("", {}, True),
        ("a=b", {"a": "b"}, True),
        ("a==b", {"a": "c"}, False),
        ("a=b", {}, False),
        ("a!=b", {}, True),
        ("a!=b", {"a": "c"}, True),
        ("a!=b", {"a": "b"}, False),
        ("a in (b,c)", {"a": "c"}, True),
        ("a in (b,c)", {}, False),
        ("a notin (b,c)", {}, True),
        ("a notin (b,c)", {"a": "b"}, False),
        ("a in ()", {"a": ""}, True),
        ("a in ()", {"a": "x"}, False),
        ("a=", {"a": ""}, True),
        ("a=", {}, False),
        ("a", {"a": ""}, True),
        ("a", {}, False),
        ("!a", {}, True),
        ("!a", {"a": "x"}, False),
        ("a>1", {"a": "2"}, True),
        ("a>1", {"a": "1"}, False),
        ("a<10", {"a": "9"}, True),
        ("a<10", {"a": "+9"}, True),
        ("a>1", {"a": "x"}, False),
        ("a>1", {"a": "1_0"}, False),
        ("a>1", {}, False),
        ("a=b,c!=d", {"a": "b", "c": "e"}, True),
        ("a=b,c!=d", {"a": "b", "c": "d"}, False),
    ],
)
def test_label_selectors_match_as_upstream(text: str, labels: dict[str, str], expected: bool) -> None:
    assert parse_label_selector(text).matches(labels) is expected


def test_not_equals_and_notin_match_objects_lacking_the_key() -> None:
    unlabelled: dict[str, str] = {}
    assert parse_label_selector("env!=prod").matches(unlabelled)
    assert parse_label_selector("env notin (prod,staging)").matches(unlabelled)
    assert not parse_label_selector("env in (prod,staging)").matches(unlabelled)


# --- label selectors: errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a in", "unable to parse requirement: found '' expected: '('"),
        ("a in b", "unable to parse requirement: found 'b' expected: '('"),
        ("=b", "found '=', expected: !, identifier, or 'end of string'"),
        (", a", "found ',', expected: !, identifier, or 'end of string'"),
        ("a!!b", "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt"),
        ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
        ("x==a==b", "found '==', expected: ',' or 'end of string'"),
        ("!x=a", "found '=', expected: ',' or 'end of string'"),
        ("a=b)", "found ')', expected: ',' or 'end of string'"),
        ("a,", "found '', expected: identifier after ','"),
        ("a,=b", "found '=', expected: identifier after ','"),
        ("!", "unable to parse requirement: found '', expected: identifier"),
        ("a=(b)", "unable to parse requirement: found '(', expected: identifier"),
        ("a=!b", "unable to parse requirement: found '!', expected: identifier"),
        ("a in (b", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'"),
        ("a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
        ("a in (,", "unable to parse requirement: found '', expected: ',', or identifier"),
        ("a in (b,=)", "unable to parse requirement: found '=', expected: ',', or identifier"),
        ("x<a", "unable to parse requirement: values[0]: Invalid value: \"a\": "
                "for 'Gt', 'Lt' operators, the value must be an integer"),
        ("x>", "unable to parse requirement: values[0]: Invalid value: \"\": "
               "for 'Gt', 'Lt' operators, the value must be an integer"),
        ("x>99999999999999999999", "unable to parse requirement: values[0]: Invalid value: "
                                   "\"99999999999999999999\": for 'Gt', 'Lt' operators, the value must be an integer"),
        ("-a=b", f'unable to parse requirement: <nil>: Invalid value: "-a": name part {KEY_RULE}'),
        ("!-a", f'unable to parse requirement: <nil>: Invalid value: "-a": name part {KEY_RULE}'),
        ("/a", 'unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty'),
        ("a/", f'unable to parse requirement: <nil>: Invalid value: "a/": name part must be non-empty; '
               f"name part {KEY_RULE}"),
        ("a/b/c", f'unable to parse requirement: <nil>: Invalid value: "a/b/c": a valid label key {KEY_RULE} '
                  "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"),
        ("Example.com/a", f'unable to parse requirement: <nil>: Invalid value: "Example.com/a": '
                          f"prefix part {SUBDOMAIN_RULE}"),
        ("a" * 64, f'unable to parse requirement: <nil>: Invalid value: "{"a" * 64}": '
                   "name part must be no more than 63 bytes"),
        ("a=-b", f'unable to parse requirement: values[0][a]: Invalid value: "-b": {VALUE_RULE}'),
        ("a=" + "b" * 64, f'unable to parse requirement: values[0][a]: Invalid value: "{"b" * 64}": '
                          "must be no more than 63 bytes"),
        ("a in (-y,-x)", f'unable to parse requirement: [values[0][a]: Invalid value: "-x": {VALUE_RULE}, '
                         f'values[1][a]: Invalid value: "-y": {VALUE_RULE}]'),
        ("x=a||y=b", f'unable to parse requirement: values[0][x]: Invalid value: "a||y": {VALUE_RULE}'),
        ('a="b"', f'unable to parse requirement: values[0][a]: Invalid value: "\\"b\\"": {VALUE_RULE}'),
    ],
)
def test_malformed_label_selectors_fail_with_the_apiservers_exact_message(text: str, message: str) -> None:
    assert label_error(text) == message


def test_selector_errors_are_400_bad_requests_sent_without_a_prefix() -> None:
    with pytest.raises(SelectorError) as caught:
        parse_label_selector("a in")
    err = caught.value
    assert (err.code, err.reason) == (400, "BadRequest")
    assert label_selector_error_message("a in", err) == "unable to parse requirement: found '' expected: '('"
    assert str(err) == err.message


def test_new_requirement_reports_every_problem_with_field_paths() -> None:
    with pytest.raises(SelectorError) as caught:
        new_requirement("-k", "=", ["a", "b"], path="spec.selector")
    assert caught.value.message == (
        f'[spec.selector.key: Invalid value: "-k": name part {KEY_RULE}, '
        'spec.selector.values: Invalid value: ["a","b"]: exact-match compatibility requires one single value]'
    )


# --- field selectors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "terms", "canonical"),
    [
        ("", [], ""),
        (",", [], ""),
        ("a=b", [("a", "=", "b")], "a=b"),
        ("a==b", [("a", "=", "b")], "a=b"),
        ("a!=b", [("a", "!=", "b")], "a!=b"),
        ("a=", [("a", "=", "")], "a="),
        ("=b", [("", "=", "b")], "=b"),
        ("b!=c,a==d", [("a", "=", "d"), ("b", "!=", "c")], "a=d,b!=c"),
        ("a=1,,b=2,", [("a", "=", "1"), ("b", "=", "2")], "a=1,b=2"),
        ("a = b", [("a ", "=", " b")], "a = b"),
        ("k=\\,,k2=v2", [("k2", "=", "v2"), ("k", "=", ",")], "k2=v2,k=\\,"),
        ("k=\\\\,k2=v2", [("k2", "=", "v2"), ("k", "=", "\\")], "k2=v2,k=\\\\"),
        ("k=\\=x", [("k", "=", "=x")], "k=\\=x"),
        ("a!b=c", [("a!b", "=", "c")], "a!b=c"),
        ("함=수,목=록", [("목", "=", "록"), ("함", "=", "수")], "목=록,함=수"),
    ],
)
def test_field_selectors_parse_into_sorted_terms(text: str, terms: list[tuple[str, str, str]], canonical: str) -> None:
    selector = parse_field_selector(text)
    assert selector.requirements == [FieldRequirement(*t) for t in terms]
    assert str(selector) == canonical
    assert selector.empty is (not terms)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a", "invalid selector: 'a'; can't understand 'a'"),
        ("x=1,bad", "invalid selector: 'x=1,bad'; can't understand 'bad'"),
        ("z,a", "invalid selector: 'z,a'; can't understand 'a'"),
        ("k=a=b", "invalid field selector: unescaped character in value: 61"),
        ("k=\\a", "invalid field selector: invalid escape sequence: \\a"),
        ("k=\\", "invalid field selector: invalid escape sequence: \\"),
        ("k=\\\\\\", "invalid field selector: invalid escape sequence: \\"),
    ],
)
def test_malformed_field_selectors_fail_with_the_apiservers_exact_message(text: str, message: str) -> None:
    assert field_error(text) == message
    with pytest.raises(SelectorError) as caught:
        parse_field_selector(text)
    assert field_selector_error_message(text, caught.value) == message


@pytest.mark.parametrize(
    ("text", "fields", "expected"),
    [
        ("", {}, True),
        ("a=b", {"a": "b"}, True),
        ("a=b", {"a": "c"}, False),
        ("a=", {}, True),
        ("a=b", {}, False),
        ("a!=b", {}, True),
        ("a!=", {}, False),
        ("a!=b", {"a": "b"}, False),
        ("a=b,c!=d", {"a": "b", "c": "x"}, True),
    ],
)
def test_field_selectors_read_absent_fields_as_empty_strings(text: str, fields: dict[str, str], expected: bool) -> None:
    assert parse_field_selector(text).matches(fields) is expected


def test_field_values_escape_and_unescape_symmetrically() -> None:
    raw = "a\\b,c=d"
    assert escape_field_value(raw) == "a\\\\b\\,c\\=d"
    assert parse_field_selector("k=" + escape_field_value(raw)).requirements == [FieldRequirement("k", "=", raw)]


def test_transform_renames_fields_and_drops_terms_mapped_to_nothing() -> None:
    selector = parse_field_selector("a=1,b=2")
    renamed = selector.transform(lambda f, v: ("", "") if f == "b" else ("x." + f, v))
    assert renamed == FieldSelector((FieldRequirement("x.a", "=", "1"),))


def test_requires_exact_match_finds_the_pinned_value() -> None:
    selector = parse_field_selector("metadata.name=web,status.phase!=Failed")
    assert selector.requires_exact_match("metadata.name") == "web"
    assert selector.requires_exact_match("status.phase") is None


def test_label_errors_win_over_field_errors_as_labels_are_parsed_first() -> None:
    with pytest.raises(SelectorError) as caught:
        parse_selectors("a in", "bad")
    assert caught.value.message == "unable to parse requirement: found '' expected: '('"
    labels, fields = parse_selectors("a=b", "c=d")
    assert (str(labels), str(fields)) == ("a=b", "c=d")
    assert isinstance(labels, LabelSelector)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [("plain", '"plain"'), ('say "hi"\\', '"say \\"hi\\"\\\\"'), ("tab\there\n", '"tab\\there\\n"'),
     ("é", '"é"'), ("\x01\x7f", '"\\x01\\x7f"'), ("\u200b", '"\\u200b"'), ("\udcff", '"\\xff"')],
)
def test_bad_values_are_quoted_as_go_quotes_them(text: str, quoted: str) -> None:
    assert go_quote(text) == quoted
