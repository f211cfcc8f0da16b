"""The staff and permission pages, one module per screen.

Views stay thin: a form shapes input, a selector or service does the work,
and a ``KefuError`` becomes a form error. Every lookup goes through the
scoped selectors, so a person outside the viewer's subtree is a 404 here
exactly as in the API.
"""
