"""Staffing (人力测算): how many agents a forecast load needs, by Erlang C or Erlang A. Plain Python."""
