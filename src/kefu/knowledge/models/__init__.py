from .article import Article, ArticleStatus, ArticleVersion, Category
from .case import Case
from .search import DocType, SearchEntry

__all__ = ["Article", "ArticleStatus", "ArticleVersion", "Case", "Category", "DocType", "SearchEntry"]
