"""Extensions beyond the paper's statements: none is derived here any more.

``data-driven-lp`` is derived by its proof script, ``proofs/data_driven_lp.py``.
"""
