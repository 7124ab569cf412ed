"""The local web page (``d3k2db serve``): an ASGI app over the same library as the CLI.

Importing this package costs nothing; FastAPI, Starlette, Jinja2 and Uvicorn load only in
``web.app`` and ``web.serve``, which only the ``serve`` command imports.
"""
