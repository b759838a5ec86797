"""Subcommands of the ``jalverify`` command line, one module each (see :mod:`jalverify.cli`)."""
