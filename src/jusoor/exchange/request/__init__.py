"""The request types of cross-border exchange: the body of each kind of message (`bodies.py`),
its form (`fields.py`), the choices and names of its codes (`labels.py`), and the one check the
service, pages and CLI call (`validation.py`).
"""
