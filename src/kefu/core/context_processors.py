from django.conf import settings

import kefu


def shell(request):
    """What every page's frame needs: menu, version, languages."""
    user = getattr(request, "user", None)
    menu = []
    if user is not None and user.is_authenticated:
        from .nav import menu_for

        menu = menu_for(user, request.path)
    return {
        "kefu_version": kefu.__version__,
        "kefu_menu": menu,
        "kefu_languages": settings.LANGUAGES,
    }
