"""The presentation layer: the paper's notation for formulas (:mod:`.printers`), a derivation's
display items (:mod:`.display`), the paper's quoted statements (:mod:`.quotes`), check statements
(:mod:`.statement`), notebooks (:mod:`.notebooks`), figures (:mod:`.plots`), the LaTeX report
(:mod:`.report`) and the offline site (:mod:`.site`).

The engine and the registry never import it; importing it installs :class:`.display.LiveView` as
the registry's view of live derivations.
"""
from ..registry import set_view
from .display import LiveView

set_view(LiveView())
