"""The editions shipped with the core: one spec per year (``gd2022.yaml``, ``gd2024.yaml``) and the code rules
a spec may name (``gd2022.py``, registered in the ``gemeentedelers.rules`` entry-point group)."""
