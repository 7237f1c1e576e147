"""The trusted core: the kernel that decides verdicts and the checker that replays them."""
