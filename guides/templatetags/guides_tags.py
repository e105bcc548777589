from django import template

from guides.catalogue import Guide, guide_for

register = template.Library()


@register.simple_tag(takes_context=True)
def guide_for_user(context) -> Guide:
    return guide_for(context["request"].user)
