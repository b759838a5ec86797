"""Self-contained HTML reports (``--html PATH`` on verify, validate, experiment, learn and nosde; ``jalverify
report DIR``): :mod:`.page` frames the page, :mod:`.figures` draws the SVGs, :mod:`.counterexample` shows a
saved counterexample, :mod:`.documents` renders each kind of saved JSON document and finds them in a folder.
"""
