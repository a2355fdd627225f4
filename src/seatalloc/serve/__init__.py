"""``seatalloc serve``: the HTTP service for registration sites and other applications.

An optional extra (``pip install 'seatalloc[serve]'``): FastAPI on uvicorn,
jobs kept in SQLite (or any database SQLAlchemy reaches), solves in a bounded
pool of worker processes. Layers, one way: ``config`` and ``store`` (the
durable jobs), ``models`` (requests and answers), ``worker`` and ``pool``
(the solving processes), ``http`` (what every route shares), ``jobs`` and
``results`` (the routes), ``app`` (the whole service), ``server`` (uvicorn).
"""
