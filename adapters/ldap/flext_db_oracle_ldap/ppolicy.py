"""The password policy control (draft-behera-ldap-password-policy), as OpenLDAP's
`ppolicy` overlay answers it: why a bind was refused (locked, expired)."""

from __future__ import annotations

from typing import Any

from pyasn1.codec.ber import decoder
from pyasn1.error import PyAsn1Error
from pyasn1.type import namedtype, namedval, tag, univ

PPOLICY_OID = "1.3.6.1.4.1.42.2.27.8.5.1"

# Asking for the control is harmless where the server does not know it (not critical).
REQUEST_CONTROL = (PPOLICY_OID, False, None)

_ERRORS = {
    0: "password expired",
    1: "account locked",
    2: "password must be changed",
}


class _Warning(univ.Choice):
    componentType = namedtype.NamedTypes(  # noqa: N815 - pyasn1 names
        namedtype.NamedType(
            "timeBeforeExpiration",
            univ.Integer().subtype(  # type: ignore[no-untyped-call]  # untyped in types-pyasn1
                implicitTag=tag.Tag(tag.tagClassContext, tag.tagFormatSimple, 0)
            ),
        ),
        namedtype.NamedType(
            "graceAuthNsRemaining",
            univ.Integer().subtype(  # type: ignore[no-untyped-call]  # untyped in types-pyasn1
                implicitTag=tag.Tag(tag.tagClassContext, tag.tagFormatSimple, 1)
            ),
        ),
    )


class _Error(univ.Enumerated):
    namedValues = namedval.NamedValues(  # noqa: N815 - pyasn1 names
        ("passwordExpired", 0),
        ("accountLocked", 1),
        ("changeAfterReset", 2),
        ("passwordModNotAllowed", 3),
        ("mustSupplyOldPassword", 4),
        ("insufficientPasswordQuality", 5),
        ("passwordTooShort", 6),
        ("passwordTooYoung", 7),
        ("passwordInHistory", 8),
    )


class _Response(univ.Sequence):
    componentType = namedtype.NamedTypes(  # noqa: N815 - pyasn1 names
        namedtype.OptionalNamedType(
            "warning",
            _Warning().subtype(  # type: ignore[no-untyped-call]  # untyped in types-pyasn1
                explicitTag=tag.Tag(tag.tagClassContext, tag.tagFormatConstructed, 0)
            ),
        ),
        namedtype.OptionalNamedType(
            "error",
            _Error().subtype(  # type: ignore[no-untyped-call]  # untyped in types-pyasn1
                implicitTag=tag.Tag(tag.tagClassContext, tag.tagFormatSimple, 1)
            ),
        ),
    )


def account_state(controls: dict[str, Any] | None) -> str | None:
    """The refusal reason in a bind result's password policy control, or None."""
    control = (controls or {}).get(PPOLICY_OID)
    value = control.get("value") if isinstance(control, dict) else None
    if not isinstance(value, bytes | bytearray) or not value:
        return None
    try:
        response, _ = decoder.decode(bytes(value), asn1Spec=_Response())
    except PyAsn1Error:
        return None
    error = response["error"]
    return _ERRORS.get(int(error)) if error.isValue else None
