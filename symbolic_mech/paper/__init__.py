"""The paper: its statements as data and the pieces the proof scripts share (the derivations
themselves are the scripts, ``proofs/``).

* :mod:`symbolic_mech.paper.items`: every numbered item's statement, in TeX;
* :mod:`symbolic_mech.paper.instances`: named instances of the paper (Example 1, the Jensen utilities);
* :mod:`symbolic_mech.paper.section4`, :mod:`symbolic_mech.paper.section5`: steps and models used by
  several results of sections 4 and 5, and by the plots.
"""

# the paper every result checks, as the reports and the site name it
PAPER = ("Bergemann, Bojko, Dütting, Paes Leme, Xu, Zuo: Data-Driven Mechanism Design: "
         "Jointly Eliciting Preferences and Information (EC 2025)")
