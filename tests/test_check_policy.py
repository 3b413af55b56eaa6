"""``fakekube check`` with ValidatingAdmissionPolicies in its input: they take effect for the other documents
(sent right after the CRDs, whatever the file order), a denial is an error with the server's message and a
``Warn`` binding's failure a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakekube.check import command

CORPUS = Path(__file__).parent / "check_corpus" / "policy"


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = command.main(list(argv))
    return code, capsys.readouterr().out.splitlines()


DENIED = ('error: deployments.apps "huge" is forbidden: ValidatingAdmissionPolicy \'replica-limit\' with binding '
          "'replica-limit' denied request: replicas must be at most 10, not 50")
WARNED = ("warning: Validation failed for ValidatingAdmissionPolicy 'team-label' with binding 'team-label-warn': "
          "every Deployment names its team")


def test_policies_in_the_input_judge_the_documents_before_them(capsys: pytest.CaptureFixture[str]) -> None:
    d = str(CORPUS)
    f, p = f"{d}/deployments.yaml", f"{d}/policies.yaml"
    assert check(capsys, d) == (1, [
        f"{f}:1: [v1.37] Deployment default/small: ok",
        f"{f}:14: [v1.37] Deployment default/huge: {DENIED}",
        f"{f}:27: [v1.37] Deployment default/unowned: {WARNED}",
        f"{p}:1: [v1.37] ValidatingAdmissionPolicy replica-limit: ok",
        f"{p}:17: [v1.37] ValidatingAdmissionPolicyBinding replica-limit: ok",
        f"{p}:25: [v1.37] ValidatingAdmissionPolicy team-label: ok",
        f"{p}:40: [v1.37] ValidatingAdmissionPolicyBinding team-label-warn: ok",
        "checked 7 documents against v1.37: 5 ok, 1 error, 1 warning"])


def test_policies_given_as_state_judge_the_input(capsys: pytest.CaptureFixture[str]) -> None:
    f = str(CORPUS / "deployments.yaml")
    assert check(capsys, "--state", str(CORPUS / "policies.yaml"), f) == (1, [
        f"{f}:1: [v1.37] Deployment default/small: ok",
        f"{f}:14: [v1.37] Deployment default/huge: {DENIED}",
        f"{f}:27: [v1.37] Deployment default/unowned: {WARNED}",
        "checked 3 documents against v1.37: 1 ok, 1 error, 1 warning"])


def test_without_the_policies_every_deployment_passes(capsys: pytest.CaptureFixture[str]) -> None:
    f = str(CORPUS / "deployments.yaml")
    assert check(capsys, f) == (0, [
        f"{f}:1: [v1.37] Deployment default/small: ok",
        f"{f}:14: [v1.37] Deployment default/huge: ok",
        f"{f}:27: [v1.37] Deployment default/unowned: ok",
        "checked 3 documents against v1.37: 3 ok"])


def test_policy_sorted_after_namespaces_and_crds_before_the_rest() -> None:
    from fakekube.check.inputs import InputDocument
    from fakekube.check.ordering import in_apply_order

    kinds = ["Deployment", "ValidatingAdmissionPolicyBinding", "ValidatingAdmissionPolicy",
             "CustomResourceDefinition", "Namespace", "ConfigMap"]
    docs = [InputDocument("f.yaml", i, i + 1, {"kind": kind}) for i, kind in enumerate(kinds)]
    assert [d.body["kind"] for d in in_apply_order(docs)] == [
        "Namespace", "CustomResourceDefinition", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
        "Deployment", "ConfigMap"]


def test_a_policy_that_does_not_compile_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """kube-apiserver compiles a policy's expressions when it is written (texts recorded in the conformance
    scenarios vap-validation-*); the Deployment it would have judged is then checked without it."""
    f = tmp_path / "policy.yaml"
    f.write_text("apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\n"
                 "metadata: {name: typo}\nspec:\n  matchConstraints:\n    resourceRules:\n"
                 "    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}\n"
                 "  validations:\n  - expression: \"self.spec.replicas < 5\"\n  - expression: \"object.spec.paused\"\n"
                 "---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\n"
                 "metadata: {name: typo}\nspec: {policyName: typo, validationActions: [Deny, Warn]}\n")
    assert check(capsys, str(f)) == (1, [
        f'{f}:1: [v1.37] ValidatingAdmissionPolicy typo: error: ValidatingAdmissionPolicy.admissionregistration.k8s.io'
        ' "typo" is invalid: [spec.validations[0].expression: Invalid value: "self.spec.replicas < 5": compilation '
        "failed: ERROR: <input>:1:1: undeclared reference to 'self' (in container '')\\n | self.spec.replicas < 5\\n"
        ' | ^, spec.validations[1].expression: Invalid value: "object.spec.paused": must evaluate to bool but got dyn]',
        f"{f}:12: [v1.37] ValidatingAdmissionPolicyBinding typo: error: ValidatingAdmissionPolicyBinding."
        'admissionregistration.k8s.io "typo" is invalid: spec.validationActions: Invalid value: ["Deny","Warn"]: '
        "must not contain both Deny and Warn (repeating the same validation failure information in the API response "
        "and headers serves no purpose)",
        "checked 2 documents against v1.37: 0 ok, 2 errors"])
