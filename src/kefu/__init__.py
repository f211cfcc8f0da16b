"""Kefu (客服): the customer service center platform for telecom carriers."""

__version__ = "0.1.0"
