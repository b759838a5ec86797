"""Root pytest configuration: Hypothesis profiles from the library (:mod:`jalverify.strategies.hypothesis_profiles`).

``quick`` (default) keeps CI within minutes; ``thorough`` is for long runs:
``pytest --hypothesis-profile=thorough`` or ``HYPOTHESIS_PROFILE=thorough pytest``.
"""

from jalverify.strategies.hypothesis_profiles import load_profile

load_profile()
