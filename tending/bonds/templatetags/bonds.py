from typing import Any

from django import template

from tending.bonds.models import Bond

register = template.Library()


@register.filter
def other_member_for(bond: Bond, user: Any) -> Any:
    """The bond's other member as `user` sees it (None when they are alone in it)."""
    return bond.other_member(user)
