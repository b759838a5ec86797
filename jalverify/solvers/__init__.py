"""Solvers: LPs with certificates, minimax, Nash, correlated equilibria, policy evaluation, values."""
