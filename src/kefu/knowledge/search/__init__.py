"""Full-text search of articles and cases (see ``backend``, ``index``, ``query``)."""
