"""The Kubernetes CEL libraries and cel-go extensions CRD rules use, each evaluated by a rule on the
server: a rule that holds lets the object in, one that does not is a 422 naming it."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Api

from fakekube import FakeCluster

CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
PATH = "/apis/example.com/v1/namespaces/default/probes"
SPEC = {"type": "object", "properties": {
    "s": {"type": "string", "maxLength": 64},
    "xs": {"type": "array", "maxItems": 10, "items": {"type": "integer"}},
    "tags": {"type": "array", "maxItems": 10, "items": {"type": "string", "maxLength": 20}},
    "m": {"type": "object", "maxProperties": 10, "additionalProperties": {"type": "integer"}}}}

# (rule, spec that satisfies it, spec that does not)
CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    # lists
    ("self.xs.isSorted()", {"xs": [1, 2, 2]}, {"xs": [2, 1]}),
    ("self.xs.sum() == 6", {"xs": [1, 2, 3]}, {"xs": [1]}),
    ("self.xs.min() == 1 && self.xs.max() == 3", {"xs": [3, 1, 2]}, {"xs": [0, 3]}),
    ("self.xs.indexOf(2) == 1 && self.xs.lastIndexOf(2) == 3", {"xs": [1, 2, 5, 2]}, {"xs": [2, 2]}),
    # sets
    ("sets.contains(self.tags, ['a'])", {"tags": ["a", "b"]}, {"tags": ["b"]}),
    ("sets.equivalent(self.tags, ['a', 'b'])", {"tags": ["b", "a", "a"]}, {"tags": ["a"]}),
    ("sets.intersects(self.tags, ['x', 'y'])", {"tags": ["y"]}, {"tags": ["z"]}),
    # regex
    ("self.s.find('[0-9]+') == '42'", {"s": "ab42cd7"}, {"s": "abc"}),
    ("self.s.findAll('[0-9]').size() == 2", {"s": "a1b2"}, {"s": "a1"}),
    # strings
    ("self.s.lowerAscii() == 'abc' && self.s.upperAscii() == 'ABC'", {"s": "aBc"}, {"s": "abd"}),
    ("self.s.split(',') == ['a', 'b'] && ['a', 'b'].join('-') == 'a-b'", {"s": "a,b"}, {"s": "a;b"}),
    ("self.s.replace('-', '_') == 'a_b_c'", {"s": "a-b-c"}, {"s": "a.b.c"}),
    ("self.s.substring(1, 3) == 'bc' && self.s.charAt(0) == 'a'", {"s": "abcd"}, {"s": "xbcd"}),
    ("self.s.trim() == 'x' && self.s.indexOf('x') == 2", {"s": "  x "}, {"s": "x"}),
    # quantities
    ("quantity(self.s).isLessThan(quantity('1Gi'))", {"s": "512Mi"}, {"s": "2G"}),
    ("quantity(self.s) == quantity('1') && quantity(self.s).compareTo(quantity('2')) == -1",
     {"s": "1000m"}, {"s": "2"}),
    ("isQuantity(self.s) && quantity(self.s).asInteger() == 2000", {"s": "2k"}, {"s": "3k"}),
    ("quantity(self.s).add(quantity('1')).sub(1).isInteger() && quantity(self.s).sign() == 1",
     {"s": "3"}, {"s": "-3"}),
    # semver
    ("isSemver(self.s) && semver(self.s).isGreaterThan(semver('1.2.3'))", {"s": "1.10.0"}, {"s": "1.2.3-rc.1"}),
    ("semver(self.s, true).major() == 1 && semver(self.s, true).minor() == 2", {"s": "v1.2"}, {"s": "v2.2"}),
    # ip and cidr
    ("isIP(self.s) && ip(self.s).family() == 6 && ip(self.s).isLoopback()", {"s": "::1"}, {"s": "127.0.0.1"}),
    ("cidr('10.0.0.0/8').containsIP(ip(self.s))", {"s": "10.2.3.4"}, {"s": "11.0.0.1"}),
    ("isCIDR(self.s) && cidr(self.s).prefixLength() == 24 && string(cidr(self.s).masked()) == '192.168.1.0/24'",
     {"s": "192.168.1.7/24"}, {"s": "192.168.1.7/16"}),
    ("ip(self.s).isGlobalUnicast()", {"s": "8.8.8.8"}, {"s": "169.254.1.1"}),
    # urls
    ("isURL(self.s) && url(self.s).getScheme() == 'https' && url(self.s).getHostname() == 'example.com'",
     {"s": "https://example.com:8443/x"}, {"s": "http://example.com"}),
    ("url(self.s).getPort() == '8443' && url(self.s).getEscapedPath() == '/x'",
     {"s": "https://example.com:8443/x"}, {"s": "https://example.com/x"}),
    # format
    ("!format.dns1123Label().validate(self.s).hasValue()", {"s": "my-name"}, {"s": "My_Name"}),
    ("format.named('uuid').value().validate(self.s).hasValue() == false",
     {"s": "123e4567-e89b-12d3-a456-426614174000"}, {"s": "nope"}),
    # optionals
    ("optional.of(self.s).orValue('') == 'x' && optional.none().orValue('d') == 'd'", {"s": "x"}, {"s": "y"}),
    # cel-go's lists extension, ext.ListsVersion(3) (kube-apiserver >= 1.34); first()/last() are the optionals'
    ("self.xs.sort() == [1, 2, 3]", {"xs": [3, 1, 2]}, {"xs": [3, 1]}),
    ("self.tags.sortBy(t, t.size()).first().value() == 'a'", {"tags": ["bbb", "a", "cc"]}, {"tags": ["bb", "c"]}),
    ("self.xs.slice(1, 3) == [2, 3]", {"xs": [1, 2, 3, 4]}, {"xs": [1, 2, 4]}),
    ("[self.xs, [[5]]].flatten() == [1, 2, [5]] && [[1, [2, [3]]]].flatten(2) == [1, 2, [3]]",
     {"xs": [1, 2]}, {"xs": [1]}),
    ("self.tags.distinct() == ['a', 'b']", {"tags": ["a", "b", "a"]}, {"tags": ["b", "a"]}),
    ("self.xs.reverse() == [3, 2, 1]", {"xs": [1, 2, 3]}, {"xs": [3, 2, 1]}),
    ("self.xs.last().orValue(0) == 9 && lists.range(3) == [0, 1, 2]", {"xs": [1, 9]}, {"xs": []}),
    # two-variable comprehensions, ext.TwoVarComprehensions (kube-apiserver >= 1.32)
    ("self.m.all(k, v, v > 0 && k != 'x')", {"m": {"a": 1}}, {"m": {"a": 0}}),
    ("self.xs.exists(i, v, i == v)", {"xs": [5, 1]}, {"xs": [1, 0]}),
    ("self.m.existsOne(k, v, v == 1) && self.xs.exists_one(i, v, v == 1)",
     {"m": {"a": 1, "b": 2}, "xs": [1]}, {"m": {"a": 1, "b": 1}, "xs": [1]}),
    ("self.xs.transformList(i, v, i * v) == [0, 2, 6]", {"xs": [1, 2, 3]}, {"xs": [1, 1, 1]}),
    ("self.tags.transformList(i, t, i % 2 == 0, t) == ['a', 'c']", {"tags": ["a", "b", "c"]}, {"tags": ["a", "c"]}),
    ("self.m.transformMap(k, v, v * 2) == {'a': 2}", {"m": {"a": 1}}, {"m": {"a": 2}}),
    ("self.m.transformMapEntry(k, v, {k + '!': v}) == {'a!': 1} && self.m.transformMap(k, v, v > 1, v).size() == 0",
     {"m": {"a": 1}}, {"m": {"a": 5}}),
    ("self.xs.existsOne(x, x > 2)", {"xs": [1, 3]}, {"xs": [3, 4]}),
    # the strings extension, ext.StringsVersion(2) (kube-apiserver >= 1.29): format, quote, lastIndexOf(s, i)
    ("'%s has %d items, %.2f%%'.format([self.s, size(self.xs), 12.5]) == 'x has 2 items, 12.50%'",
     {"s": "x", "xs": [1, 2]}, {"s": "y", "xs": [1, 2]}),
    ("'%x/%X/%o/%b'.format([self.xs[0], 255, 8, true]) == 'a/FF/10/1'", {"xs": [10]}, {"xs": [11]}),
    ("\"%s\".format([self.tags]) == '[\"a\", \"b\"]' && '%.1f'.format([1234.5]) == '1,234.5'",
     {"tags": ["a", "b"]}, {"tags": ["a"]}),
    ("strings.quote(self.s) == '\"' + self.s + '\"'", {"s": "plain"}, {"s": "tab\there"}),
    ("self.s.lastIndexOf('a', 3) == 2", {"s": "abababa"}, {"s": "aaaa"}),
]


@pytest.fixture
def api(fake_cluster: FakeCluster) -> Api:
    api = Api(fake_cluster.url)
    rules = [{"rule": rule} for rule, _, _ in CASES]
    spec = dict(SPEC, **{"x-kubernetes-validations": rules})
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "probes.example.com"},
           "spec": {"group": "example.com", "scope": "Namespaced",
                    "names": {"plural": "probes", "singular": "probe", "kind": "Probe"},
                    "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                        "type": "object", "properties": {"spec": spec}}}}]}}
    status, body = api.json("POST", CRDS, crd)
    assert status == 201, body
    return api


def failures(api: Api, name: str, spec: dict[str, Any]) -> list[str]:
    """The rules a spec fails (rules reading fields it lacks fail with ``no such key``)."""
    status, body = api.json("POST", PATH, {"apiVersion": "example.com/v1", "kind": "Probe",
                                           "metadata": {"name": name}, "spec": spec})
    if status == 201:
        return []
    assert status == 422, body
    return [cause["message"] for cause in body["details"]["causes"]]


@pytest.mark.parametrize("index", range(len(CASES)), ids=[rule for rule, _, _ in CASES])
def test_library_function(api: Api, index: int) -> None:
    rule, good, bad = CASES[index]
    good_failures = failures(api, "good", good)
    assert not any(m.endswith(f"rule: {rule}") for m in good_failures), good_failures
    assert f'Invalid value: failed rule: {rule}' in failures(api, "bad", bad)


ERRORS = {"type": "object", "properties": SPEC["properties"], "x-kubernetes-validations": [
    {"rule": "self.tags.sortBy(t, t == 'a' ? dyn(1) : dyn('x')).size() > 0"},
    {"rule": "self.xs.slice(0, 5).size() > 0"},
    {"rule": "'%d'.format(self.tags) != ''"},
    {"rule": "self.m.transformMapEntry(k, v, {'same': v}).size() > 0"},
]}


def test_extension_errors_name_the_rule(fake_cluster: FakeCluster) -> None:
    api = Api(fake_cluster.url)
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "probes.example.com"},
           "spec": {"group": "example.com", "scope": "Namespaced",
                    "names": {"plural": "probes", "singular": "probe", "kind": "Probe"},
                    "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                        "type": "object", "properties": {"spec": ERRORS}}}}]}}
    assert api.json("POST", CRDS, crd)[0] == 201
    found = failures(api, "bad", {"tags": ["a", "b"], "xs": [1, 2], "m": {"a": 1, "b": 2}})
    rules = [rule["rule"] for rule in ERRORS["x-kubernetes-validations"]]
    assert found == [f'Invalid value: "object": {error} evaluating rule: {rule}' for error, rule in zip([
        "list elements must have the same type", "cannot slice(0, 5), list is length 2",
        "error during formatting: decimal clause can only be used on integers, was given string",
        "insert failed: key same already exists"], rules, strict=True)]


@pytest.mark.parametrize(("rule", "error"), [
    ("range(3).size() == 3", "1:6: undeclared reference to 'range' (in container '')"),
    ("self.s.quote() == ''", "1:7: undeclared reference to 'quote' (in container '')"),
    ("self.m.all(k, k, k != '')", "1:15: duplicate variable name: k"),
])
def test_extension_functions_are_known_by_their_qualified_names_only(fake_cluster: FakeCluster, rule: str,
                                                                     error: str) -> None:
    api = Api(fake_cluster.url)
    spec = dict(SPEC, **{"x-kubernetes-validations": [{"rule": rule}]})
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "probes.example.com"},
           "spec": {"group": "example.com", "scope": "Namespaced",
                    "names": {"plural": "probes", "singular": "probe", "kind": "Probe"},
                    "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                        "type": "object", "properties": {"spec": spec}}}}]}}
    status, body = api.json("POST", CRDS, crd)
    assert status == 422, body
    assert f"compilation failed: ERROR: <input>:{error}\n | {rule}\n" in body["message"]
