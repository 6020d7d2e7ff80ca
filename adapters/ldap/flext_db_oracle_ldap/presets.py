"""Directory conventions (OpenLDAP, Active Directory) as search filters.

Every value a user or the directory supplies goes through `escape_filter_chars`
(RFC 4515), so `*`, `(`, `)`, `\\` and NUL are matched literally, never interpreted.
"""

from __future__ import annotations

from dataclasses import dataclass

from ldap3.utils.conv import escape_filter_chars

# Active Directory's LDAP_MATCHING_RULE_IN_CHAIN: `member:<oid>:=<dn>` matches every
# group that holds the DN directly or through nested groups, in one search.
AD_IN_CHAIN_OID = "1.2.840.113556.1.4.1941"


@dataclass(frozen=True)
class Preset:
    """What one kind of directory calls things."""

    name: str
    login_attributes: tuple[str, ...]
    user_object_filter: str
    display_name_attribute: str
    email_attribute: str = "mail"
    member_of_attribute: str = "memberOf"
    # True when one group search already returns nested groups (AD's in-chain rule);
    # otherwise the adapter walks groups of groups itself.
    transitive_group_search: bool = False

    @property
    def user_attributes(self) -> list[str]:
        return [
            *self.login_attributes,
            self.display_name_attribute,
            "cn",
            self.email_attribute,
            self.member_of_attribute,
        ]

    def user_filter(self, username: str) -> str:
        """The filter finding the entry of `username` by any login attribute."""
        value = escape_filter_chars(username)
        by_login = "".join(f"({attribute}={value})" for attribute in self.login_attributes)
        if len(self.login_attributes) > 1:
            by_login = f"(|{by_login})"
        return f"(&{self.user_object_filter}{by_login})"

    def group_filter(self, member_dns: list[str], login: str | None) -> str:
        """The filter finding the groups that hold any of `member_dns` (or, for posix
        groups, the `login`)."""
        if self.transitive_group_search:
            held = "".join(
                f"(member:{AD_IN_CHAIN_OID}:={escape_filter_chars(dn)})" for dn in member_dns
            )
            return f"(&(objectClass=group)(|{held}))"
        alternatives = []
        for dn in map(escape_filter_chars, member_dns):
            alternatives.append(f"(&(objectClass=groupOfNames)(member={dn}))")
            alternatives.append(f"(&(objectClass=groupOfUniqueNames)(uniqueMember={dn}))")
        if login is not None:
            posix = f"(&(objectClass=posixGroup)(memberUid={escape_filter_chars(login)}))"
            alternatives.append(posix)
        return f"(|{''.join(alternatives)})"


OPENLDAP = Preset(
    name="openldap",
    login_attributes=("uid",),
    user_object_filter="(objectClass=person)",
    display_name_attribute="displayName",
)

ACTIVE_DIRECTORY = Preset(
    name="ad",
    login_attributes=("sAMAccountName", "userPrincipalName"),
    # AD's usual filter for people: computer accounts are of class `user` too, but their
    # objectCategory is `computer` (AD accepts the category's short name in filters).
    user_object_filter="(objectCategory=person)(objectClass=user)",
    display_name_attribute="displayName",
    transitive_group_search=True,
)

PRESETS = {preset.name: preset for preset in (OPENLDAP, ACTIVE_DIRECTORY)}
