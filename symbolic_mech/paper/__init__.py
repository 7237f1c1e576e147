"""The paper's results as registry entries, one module per section.

Each entry computes its derivation with the engine; nothing here states a
result without deriving it.  Named instances shared by several results live
in :mod:`symbolic_mech.paper.instances`.
"""
