"""``magistral-debugger rehearse``: a gallery or a dataset run against a model server and scored."""
