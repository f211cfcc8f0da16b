"""Knowledge pages: ``search`` (full and embeddable), ``articles``, ``cases``."""
