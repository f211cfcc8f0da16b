"""CTI: how a telephony switch talks to Kefu (protocol, adapter, WebSocket consumer, HTTP API).

See docs/cti.md for the protocol. The simulated switch in
``kefu.contactcenter.simswitch`` is a client of it.
"""
