"""The paper's numbered items, each with its section and its own statement in LaTeX.

One record per item a reader can look up in the paper: Definitions 1-9,
Theorems 1-2, Propositions 1-3, Corollaries 1-3, Examples 1-5, Lemma 1,
Equations (1)-(9), Footnotes 8, 16 and 22, and Sections 4.2.2-4.2.5.  The
statement is transcribed once, here, as Markdown with TeX math (``$...$``,
``$$...$$``); scripts, notebooks, the coverage ledger and the report render it
from this record rather than quoting it again.

>>> item("Theorem 1").section
'3 Message-Driven Mechanisms'
>>> [i.name for i in ITEMS][:3]
['Definition 1', 'Definition 2', 'Definition 3']
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Item", "ITEMS", "item"]

S2 = "2 Model"
S3 = "3 Message-Driven Mechanisms"
S41 = "4.1 Mechanisms and Implementation"
S421 = "4.2.1 Eliciting Additional Data from the Agents"
S51 = "5.1 Click-Through Auctions"
S52 = "5.2 Mechanism Design for LLM-Generated Content"
SA = "Appendix A Proofs and Further Results"


@dataclass(frozen=True)
class Item:
    """A numbered item of the paper: its name as the paper numbers it, its section, its title (empty when
    the paper gives none) and its statement (Markdown with TeX math)."""
    name: str
    section: str
    title: str = ""
    statement: str = ""


ITEMS: tuple[Item, ...] = (
    Item("Definition 1", S2, "Efficient allocation rule"),
    Item("Definition 2", S3, "Message-driven direct revelation mechanism"),
    Item("Definition 3", S3, "Posterior equilibrium with message-driven mechanisms"),
    Item("Definition 4", S41, "Data-driven direct revelation mechanism"),
    Item("Definition 5", S41, "Posterior equilibrium with data-driven mechanisms"),
    Item("Definition 6", S41, "Data-driven VCG"),
    Item("Definition 7", S41, "ϵ-posterior equilibrium"),
    Item("Definition 8", S52, "α-regularized efficient generation distribution"),
    Item("Definition 9", S52, "α-regularized data-driven VCG"),
    Item("Theorem 1", S3, "Impossibility"),
    Item("Theorem 2", S41, "Consistent estimator"),
    Item("Proposition 1", S41, "Ex-post"),
    Item("Proposition 2", S41, "Unbiased estimator"),
    Item("Proposition 3", S41, "Rate of convergence"),
    Item("Corollary 1", S421, "Two-stage data-driven VCG in the ex-post case"),
    Item("Corollary 2", S51, "Common CTR pivot payments"),
    Item("Corollary 3", S52, "Implementation with α-regularized data-driven VCG"),
    Item("Example 1", S3, "Quadratic loss: impossibility"),
    Item("Example 2", S41, "Quadratic loss: data-driven VCG"),
    Item("Example 3", S51, "Individual CTR pivot payments"),
    Item("Example 4", S52, "α-regularized data-driven VCG with KL regularization"),
    Item("Example 5", SA),
    Item("Lemma 1", SA),
    Item("Equation (1)", S2),
    Item("Equation (2)", S41),
    Item("Equation (3)", S41),
    Item("Equation (4)", S41),
    Item("Equation (5)", S421),
    Item("Equation (6)", S51),
    Item("Equation (7)", S51),
    Item("Equation (8)", S52),
    Item("Equation (9)", S52),
    Item("Footnote 8", S3),
    Item("Footnote 16", S41),
    Item("Footnote 22", S51),
    Item("Section 4.2.2", "4.2.2 Alternative Estimators and Information Requirements",
         "Alternative Estimators and Information Requirements"),
    Item("Section 4.2.3", "4.2.3 State-Revealing Signals", "State-Revealing Signals"),
    Item("Section 4.2.4", "4.2.4 Multiple Payments", "Multiple Payments"),
    Item("Section 4.2.5", "4.2.5 Interdependent Preferences", "Interdependent Preferences"),
)

_BY_NAME = {i.name: i for i in ITEMS}


def item(name: str) -> Item:
    """The item the paper numbers ``name`` ("Theorem 1", "Equation (6)", "Footnote 22", "Section 4.2.3")."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a str such as 'Theorem 1', not {type(name).__name__}")
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"name: no item {name!r} in the paper's list (e.g. 'Theorem 1', 'Equation (6)')") from None
