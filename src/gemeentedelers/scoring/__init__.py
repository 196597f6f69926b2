"""Round 1: the crowd scores every registration; the rater model decides who advances.

The pure engine (no database, no network): :mod:`.ratings`, :mod:`.ratermodel`, :mod:`.ranking`,
:mod:`.voi`, :mod:`.assignment`, :mod:`.baselines`, :mod:`.crowdbt`, :mod:`.csvio`, :mod:`.simulation`, and
the ``scoring`` CLI group in :mod:`.cli`. The service over Firestore: :mod:`.scorers`, :mod:`.rounds`,
:mod:`.waves`, :mod:`.sheets`, :mod:`.verdict`, :mod:`.web` and the event handlers in :mod:`.service`.
Import submodules directly; this file imports nothing, so the scoring function's cold start does not load
numpy and scipy until the engine is used.
"""
