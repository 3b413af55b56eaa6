"""Reviews (``authorization.k8s.io``, ``authentication.k8s.io``): created, answered, never stored.

``POST`` of a SubjectAccessReview, TokenReview, SelfSubjectReview... returns the request with its
``status`` filled in; nothing is persisted, so the same body can be sent again and needs no name.
Authorization is not enabled yet, so every access review says yes, as a cluster whose authorizer
allows everything would.  Reviews about the caller answer with the request's user.
"""

from __future__ import annotations

from fakekube.kinds.strategy import Caller, Obj, Strategy

ALL_RULES = {
    "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}],
    "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
    "incomplete": False,
}


def _user(caller: Caller) -> Obj:
    return {"username": caller.username, "groups": list(caller.groups)}


def _access_review(obj: Obj, namespace: str, caller: Caller) -> Obj:
    return {"allowed": True, "reason": "fakekube allows every request (authorization is not enabled)"}


def _rules_review(obj: Obj, namespace: str, caller: Caller) -> Obj:
    return dict(ALL_RULES)


def _self_review(obj: Obj, namespace: str, caller: Caller) -> Obj:
    return {"userInfo": _user(caller)}


def _token_review(obj: Obj, namespace: str, caller: Caller) -> Obj:
    audiences = (obj.get("spec") or {}).get("audiences")
    status: Obj = {"authenticated": True, "user": _user(caller)}
    if audiences:
        status["audiences"] = audiences
    return status


AUTHORIZATION = {
    "SubjectAccessReview": Strategy(answer=_access_review),
    "LocalSubjectAccessReview": Strategy(answer=_access_review),
    "SelfSubjectAccessReview": Strategy(answer=_access_review),
    "SelfSubjectRulesReview": Strategy(answer=_rules_review),
}

AUTHENTICATION = {
    "SelfSubjectReview": Strategy(answer=_self_review),
    "TokenReview": Strategy(answer=_token_review),
}
